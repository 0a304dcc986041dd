namespace Renku.PowerShell.Http;

/// <summary>
/// What a token may contain to travel in an HTTP header: visible ASCII only (RFC 6750's b64token
/// and the JWTs servers hand out are all of that). A space, tab, line break, control or non-ASCII
/// character would be refused by the HTTP stack or, worse, split the header.
/// </summary>
internal static class TokenText
{
    /// <summary>The index of the first character a header cannot carry, or -1 when there is none.</summary>
    public static int FirstInvalid(string token)
    {
        for (int i = 0; i < token.Length; i++)
        {
            if (token[i] is < '!' or > '~')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Names the kind of character at <paramref name="index"/> without showing the token.</summary>
    public static string Describe(string token, int index) => token[index] switch
    {
        '\r' or '\n' => "a line break",
        ' ' or '\t' => "whitespace",
        < ' ' or '\u007f' => "a control character",
        _ => "a non-ASCII character",
    };
}
