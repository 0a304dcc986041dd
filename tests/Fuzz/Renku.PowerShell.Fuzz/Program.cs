using Renku.PowerShell.Fuzz;

// afl <target>              run under afl-fuzz (the engine instrumented by SharpFuzz)
// replay <target> <path>... run files or folders through a target and say how each ended
// seeds <corpus folder>     write the binary seeds (archives, layers) that are generated, not hand-written
if (args.Length >= 2 && args[0] == "afl")
{
    FuzzTarget target = FuzzTargets.Find(args[1]);
    SharpFuzz.Fuzzer.Run(stream =>
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        FuzzContract.Check(target, buffer.ToArray());
    });
    return 0;
}

if (args.Length >= 3 && args[0] == "replay")
{
    FuzzTarget target = FuzzTargets.Find(args[1]);
    int broken = 0;
    foreach (string file in args.Skip(2).SelectMany<string, string>(p => Directory.Exists(p) ? Directory.GetFiles(p).Order(StringComparer.Ordinal) : new[] { p }))
    {
        try
        {
            Exception? typed = FuzzContract.CheckTimed(target, File.ReadAllBytes(file), TimeSpan.FromSeconds(10));
            Console.WriteLine($"{file}: {(typed is null ? "result" : typed.GetType().Name + ": " + typed.Message.ReplaceLineEndings(" "))}");
        }
        catch (Exception ex)
        {
            broken++;
            Console.WriteLine($"{file}: BROKEN {ex}");
        }
    }

    return broken == 0 ? 0 : 1;
}

if (args.Length == 2 && args[0] == "seeds")
{
    SeedWriter.Write(args[1]);
    return 0;
}

Console.Error.WriteLine("usage: afl <target> | replay <target> <file or folder>... | seeds <corpus folder>");
Console.Error.WriteLine("targets: " + string.Join(", ", FuzzTargets.All.Select(t => t.Name)));
return 2;
