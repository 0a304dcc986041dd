namespace Renku.PowerShell;

/// <summary>How far an upgrade may move a version.</summary>
public enum UpgradeLevel
{
    /// <summary>Same major and minor, newer patch.</summary>
    Patch,

    /// <summary>Same major, newer minor or patch.</summary>
    Minor,

    /// <summary>Any newer version.</summary>
    Major,
}
