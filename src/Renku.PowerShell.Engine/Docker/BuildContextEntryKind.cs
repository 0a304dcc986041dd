namespace Renku.PowerShell.Docker;

internal enum BuildContextEntryKind
{
    File,
    Directory,
    SymbolicLink,
}
