namespace Renku.PowerShell.Images;

/// <summary>A progress report from an inspection.</summary>
public sealed record ImageInspectionProgress(string Phase, long BytesDownloaded, long? BytesTotal);
