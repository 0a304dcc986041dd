using System.Runtime.InteropServices;

/// <summary>struct rusage of Linux on 64-bit: two timevals, then fourteen longs this harness does not read.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct ResourceUsage
{
    public long UserSeconds;
    public long UserMicroseconds;
    public long SystemSeconds;
    public long SystemMicroseconds;

    [MarshalAs(UnmanagedType.ByValArray, SizeConst = 14)]
    public long[] Rest;
}
