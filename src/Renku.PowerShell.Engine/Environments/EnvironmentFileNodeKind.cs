namespace Renku.PowerShell.Environments;

/// <summary>What an <see cref="EnvironmentFileNode"/> holds.</summary>
internal enum EnvironmentFileNodeKind
{
    Mapping,
    Sequence,
    Scalar,
    Null,
}
