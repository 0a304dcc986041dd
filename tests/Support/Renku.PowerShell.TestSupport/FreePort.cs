using System.Net;
using System.Net.Sockets;

namespace Renku.PowerShell.TestSupport;

/// <summary>Free TCP ports on 127.0.0.1.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// A port P such that P and P + 1 are both free on every interface: the session test images
    /// that listen on the wrong port listen on the session port + 1, and on the host network a
    /// taken P + 1 would make them exit instead of listening there.
    /// </summary>
    public static int NextPair()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            using var first = new TcpListener(IPAddress.Any, 0);
            first.Start();
            int port = ((IPEndPoint)first.LocalEndpoint).Port;
            if (port >= IPEndPoint.MaxPort)
            {
                continue;
            }

            try
            {
                using var second = new TcpListener(IPAddress.Any, port + 1);
                second.Start();
                second.Stop();
                return port;
            }
            catch (SocketException)
            {
                // P + 1 is taken: try another P.
            }
        }

        throw new InvalidOperationException("No pair of free ports was found in 50 attempts.");
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
