namespace Renku.PowerShell.Environments;

/// <summary>The data API's environment field names and the cmdlet parameter each one maps to.</summary>
public static class EnvironmentFields
{
    public const string Name = "name";
    public const string Description = "description";
    public const string ContainerImage = "container_image";
    public const string DefaultUrl = "default_url";
    public const string Port = "port";
    public const string Uid = "uid";
    public const string Gid = "gid";
    public const string WorkingDirectory = "working_directory";
    public const string MountDirectory = "mount_directory";
    public const string Command = "command";
    public const string Args = "args";
    public const string StripPathPrefix = "strip_path_prefix";
    public const string IsArchived = "is_archived";

    /// <summary>The order fields are compared, shown and written in.</summary>
    public static readonly IReadOnlyList<string> All = new[]
    {
        Name, Description, ContainerImage, DefaultUrl, Port, Uid, Gid, WorkingDirectory, MountDirectory, Command, Args, StripPathPrefix, IsArchived,
    };

    /// <summary>The cmdlet parameter that sets <paramref name="field"/>.</summary>
    public static string ParameterName(string field) => field switch
    {
        Name => "Name",
        Description => "Description",
        ContainerImage => "Image",
        DefaultUrl => "DefaultUrl",
        Port => "Port",
        Uid => "Uid",
        Gid => "Gid",
        WorkingDirectory => "WorkingDirectory",
        MountDirectory => "MountDirectory",
        Command => "Command",
        Args => "Arguments",
        StripPathPrefix => "StripPathPrefix",
        IsArchived => "Archive",
        _ => field,
    };
}
