using System.Net;
using System.Net.Sockets;

namespace Renku.PowerShell.TestSupport;

/// <summary>
/// Free TCP ports for the tests' servers and sessions. They come from below the kernel's ephemeral
/// range (<c>ip_local_port_range</c>), so no outgoing connection of any process is given one
/// between the check and the bind, and each is reserved by a lock file that the test process holds
/// until it ends, so two test processes never pick the same port.
/// </summary>
public static class FreePort
{
    private const int RangeSize = 12000;
    private static readonly object Gate = new();
    private static readonly List<FileStream> Held = new();
    // One folder for every process on the machine, whatever its TMPDIR (the stop soak points its
    // own at a folder it watches).
    private static readonly string Reservations = Path.Combine(OperatingSystem.IsWindows() ? Path.GetTempPath() : "/tmp", "renku-ps-test-ports");
    private static readonly (int First, int Last) Range = ReservedRange();
    private static int cursor = Random.Shared.Next(Range.Last - Range.First);

    static FreePort()
    {
        // The reservation files go with the process (a process that is killed leaves its files,
        // but not its locks: the ports are free for the next run either way).
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            lock (Gate)
            {
                Held.ForEach(r => r.Dispose());
                Held.Clear();
                try
                {
                    // Only when empty: another process may still hold ports.
                    Directory.Delete(Reservations);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                }
            }
        };
    }

    /// <summary>A free port, reserved for this process.</summary>
    public static int Next() => Take(1);

    /// <summary>
    /// A port P such that P and P + 1 are both free on every interface: the session test images
    /// that listen on the wrong port listen on the session port + 1, and on the host network a
    /// taken P + 1 would make them exit instead of listening there.
    /// </summary>
    public static int NextPair() => Take(2);

    private static int Take(int count)
    {
        lock (Gate)
        {
            int span = Range.Last - Range.First - count + 1;
            for (int attempt = 0; attempt < span; attempt++)
            {
                int port = Range.First + (cursor++ % span);
                var reserved = new List<FileStream>();
                bool free = true;
                for (int i = 0; i < count && free; i++)
                {
                    FileStream? reservation = Reserve(port + i);
                    free = reservation is not null && IsFree(port + i);
                    if (reservation is not null)
                    {
                        reserved.Add(reservation);
                    }
                }

                if (free)
                {
                    Held.AddRange(reserved);
                    return port;
                }

                reserved.ForEach(r => r.Dispose());
            }

            throw new InvalidOperationException($"No {count} free port(s) in a row between {Range.First} and {Range.Last}.");
        }
    }

    private static FileStream? Reserve(int port)
    {
        try
        {
            // Exclusive while this process lives (an advisory lock that the kernel drops when the
            // process ends, however it ends); the file goes when it is closed.
            // Made again each time: another process may have removed it, empty, as it ended.
            Directory.CreateDirectory(Reservations);
            return new FileStream(Path.Combine(Reservations, port.ToString(System.Globalization.CultureInfo.InvariantCulture)), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static (int First, int Last) ReservedRange()
    {
        // The ports just below the ephemeral range (32768 by default), above the well-known ones.
        int ephemeralStart = 32768;
        try
        {
            string[] bounds = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            ephemeralStart = int.Parse(bounds[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }

        int last = ephemeralStart - 1;
        int first = Math.Max(1024, last - RangeSize);
        if (last - first < 1000)
        {
            throw new InvalidOperationException($"The ephemeral port range starts at {ephemeralStart}, which leaves too few ports below it for the tests.");
        }

        return (first, last);
    }

    /// <summary>Waits until something accepts connections on the port, bounded by <paramref name="timeout"/>.</summary>
    public static bool WaitForListener(int port, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        return false;
    }
}
