using Xunit;

namespace Renku.PowerShell.Tests;

/// <summary>Tests that observe process-wide state (load contexts, the resolver) run alone.</summary>
[CollectionDefinition(nameof(ProcessWideStateCollection), DisableParallelization = true)]
public sealed class ProcessWideStateCollection
{
}
