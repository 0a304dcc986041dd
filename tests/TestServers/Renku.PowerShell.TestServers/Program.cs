using System.Globalization;

namespace Renku.PowerShell.TestServers;

/// <summary>
/// Runs the fake Renku deployment as a process:
/// <c>dotnet run --project tests/TestServers/Renku.PowerShell.TestServers -- --port 0 [--device-interval 0] [--spec-dir DIR]</c>.
/// Prints <c>RENKU_TEST_SERVER_URL=http://127.0.0.1:PORT/</c> and serves until stdin closes or Ctrl+C.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        int port = 0;
        int interval = 0;
        string? specs = null;
        for (int i = 0; i < args.Length; i++)
        {
            string? next = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--port" when next is not null:
                    port = int.Parse(next, CultureInfo.InvariantCulture);
                    i++;
                    break;
                case "--device-interval" when next is not null:
                    interval = int.Parse(next, CultureInfo.InvariantCulture);
                    i++;
                    break;
                case "--spec-dir" when next is not null:
                    specs = next;
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: --port N --device-interval S --spec-dir DIR");
                    return 2;
            }
        }

        using RenkuTestServer server = RenkuTestServer.Start(port, specs, interval);
        Console.WriteLine("RENKU_TEST_SERVER_URL=" + server.Uri);
        Console.Out.Flush();

        using var stop = new ManualResetEventSlim();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Set();
        };
        var stdin = new Thread(() =>
        {
            while (Console.In.ReadLine() is not null)
            {
            }

            stop.Set();
        }) { IsBackground = true };
        stdin.Start();
        stop.Wait();
        return 0;
    }
}
