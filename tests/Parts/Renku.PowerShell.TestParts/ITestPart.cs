using System.Text.Json.Nodes;

namespace Renku.PowerShell.TestParts;

/// <summary>One started part: what the suite needs to know about it, and how to stop it.</summary>
internal interface ITestPart : IAsyncDisposable
{
    /// <summary>The part's name on the command line and in the JSON answer.</summary>
    string Name { get; }

    /// <summary>Addresses and the names of what the part was seeded with.</summary>
    JsonObject Describe();
}
