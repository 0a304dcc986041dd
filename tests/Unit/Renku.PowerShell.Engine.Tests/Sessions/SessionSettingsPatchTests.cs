using Renku.PowerShell.Environments;
using Renku.PowerShell.Sessions;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Sessions;

/// <summary>
/// The one way from an environment to session settings: what a given, a missing and an empty
/// value mean, applied over Renku's defaults or over other settings, from every source.
/// </summary>
public class SessionSettingsPatchTests
{
    private static readonly SessionSettings Base = new()
    {
        Name = "base",
        Port = 8080,
        Uid = 1001,
        Gid = 100,
        DefaultUrl = "/lab",
        WorkingDirectory = "/home/a/work",
        MountDirectory = "/home/a",
        Command = new[] { "bash" },
        Args = new[] { "-c", "run" },
        StripPathPrefix = true,
    };

    /// <summary>The settings as one comparable line (a command or args of null and of [] differ here).</summary>
    internal static string Describe(SessionSettings s) =>
        $"name={s.Name ?? "(null)"} port={s.Port} uid={s.Uid} gid={s.Gid} url={s.DefaultUrl} wd={s.WorkingDirectory ?? "(null)"} md={s.MountDirectory ?? "(null)"} " +
        $"cmd={List(s.Command)} args={List(s.Args)} strip={s.StripPathPrefix} default={s.IsRenkuDefault}";

    private static string List(IReadOnlyList<string>? items) => items is null ? "(null)" : "[" + string.Join(",", items) + "]";

    [Fact]
    public void NothingGivenIsRenkusDocumentedSettingsAndChangesNothingApplied()
    {
        Assert.True(SessionSettingsPatch.Empty.IsEmpty);
        Assert.Equal(Describe(SessionSettings.RenkuDefaults), Describe(SessionSettingsPatch.Empty.ToSettings()));
        Assert.Same(Base, SessionSettingsPatch.Empty.ApplyTo(Base));
        Assert.Same(Base, SessionSettingsPatch.Read(new Dictionary<string, object?>()).ApplyTo(Base));
    }

    [Fact]
    public void AnEnvironmentThatNamesSomeSettingsHasRenkusValuesAndNoDirectoriesForTheRest()
    {
        SessionSettings settings = new SessionSettingsPatch { Port = 9000 }.ToSettings();
        Assert.Equal("name=(null) port=9000 uid=1000 gid=1000 url=/ wd=(null) md=(null) cmd=(null) args=(null) strip=False default=False", Describe(settings));
    }

    [Fact]
    public void WhatIsNotGivenKeepsTheBase()
    {
        SessionSettings settings = new SessionSettingsPatch { Uid = 2000 }.ApplyTo(Base);
        Assert.Equal(Describe(Base).Replace("uid=1001", "uid=2000", StringComparison.Ordinal), Describe(settings));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ACommandOrArgsGivenNullOrEmptyIsNoneAsRenkuHoldsNoEmptyCommand(bool empty)
    {
        IReadOnlyList<string>? none = empty ? Array.Empty<string>() : null;
        SessionSettings settings = new SessionSettingsPatch { Command = Optional.Of(none), Args = Optional.Of(none) }.ApplyTo(Base);
        Assert.Null(settings.Command);
        Assert.Null(settings.Args);
        Assert.Equal("/lab", settings.DefaultUrl);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public void ADirectoryGivenNullOrEmptyIsNoneAsRenkuClearsItWithEmptyText(string? none)
    {
        SessionSettings settings = new SessionSettingsPatch { WorkingDirectory = none, MountDirectory = none }.ApplyTo(Base);
        Assert.Null(settings.WorkingDirectory);
        Assert.Null(settings.MountDirectory);
        Assert.Equal("/home/renku", settings.ResolveLayout("/home/renku").WorkingDirectory);
    }

    [Fact]
    public void AnEmptyDefaultUrlIsTheSessionsBasePath()
    {
        Assert.Equal("/", new SessionSettingsPatch { DefaultUrl = string.Empty }.ApplyTo(Base).DefaultUrl);
        Assert.Equal("/lab", new SessionSettingsPatch { DefaultUrl = null, Port = 1 }.ApplyTo(Base).DefaultUrl);
    }

    [Fact]
    public void ValuesGivenLaterWinAndWhatTheyLeaveOutStays()
    {
        var environment = new SessionSettingsPatch { Name = "lab", Port = 8080, Command = new[] { "bash" }, WorkingDirectory = "/w", StripPathPrefix = true };
        var parameters = new SessionSettingsPatch { Port = 9000, Command = Optional.Of<IReadOnlyList<string>?>(null), StripPathPrefix = false };
        SessionSettings settings = environment.With(parameters).ToSettings();
        Assert.Equal("name=lab port=9000 uid=1000 gid=1000 url=/ wd=/w md=(null) cmd=(null) args=(null) strip=False default=False", Describe(settings));
        Assert.Equal(Describe(environment.ToSettings()), Describe(environment.With(SessionSettingsPatch.Empty).ToSettings()));
    }

    [Fact]
    public void AGlobalEnvironmentGivesEverySetting()
    {
        var environment = new GlobalEnvironment
        {
            Name = "Lab", Image = "x/y:1", DefaultUrl = string.Empty, Port = 8080, Uid = 1001, Gid = 100,
            WorkingDirectory = string.Empty, MountDirectory = "/m", Command = Array.Empty<string>(), Args = new[] { "--x" }, StripPathPrefix = true,
        };
        SessionSettings settings = SessionSettings.Of(environment);
        Assert.Equal("name=Lab port=8080 uid=1001 gid=100 url=/ wd=(null) md=/m cmd=(null) args=[--x] strip=True default=False", Describe(settings));
        Assert.Equal(Describe(settings), Describe(SessionSettingsPatch.From(environment).ApplyTo(Base)));
    }

    [Fact]
    public void AnEnvironmentFileEntryGivesEverySetting()
    {
        var spec = new EnvironmentSpec { Name = "Lab", Image = "x/y:1", WorkingDirectory = null, Command = Array.Empty<string>(), Args = new[] { "a" } };
        Assert.Equal("name=Lab port=8888 uid=1000 gid=1000 url=/ wd=(null) md=/home/renku/work cmd=(null) args=[a] strip=False default=False", Describe(SessionSettingsPatch.From(spec).ToSettings()));
    }

    [Fact]
    public void FieldsAreReadByPowerShellOrApiNameInAnyCase()
    {
        var powerShell = SessionSettingsPatch.Read(new Dictionary<string, object?>
        {
            ["name"] = "lab", ["PORT"] = 8080, ["Uid"] = "1001", ["Gid"] = 100L, ["DefaultUrl"] = "/lab", ["WorkingDirectory"] = "/w",
            ["MountDirectory"] = "/m", ["Command"] = new object[] { "bash", 1 }, ["Arguments"] = "run", ["StripPathPrefix"] = true,
        });
        var api = SessionSettingsPatch.Read(new Dictionary<string, object?>
        {
            ["EnvironmentName"] = "lab", ["port"] = "8080", ["uid"] = 1001, ["gid"] = 100, ["default_url"] = "/lab", ["working_directory"] = "/w",
            ["mount_directory"] = "/m", ["command"] = new List<object?> { "bash", "1" }, ["args"] = new[] { "run" }, ["strip_path_prefix"] = "True",
        });
        string expected = "name=lab port=8080 uid=1001 gid=100 url=/lab wd=/w md=/m cmd=[bash,1] args=[run] strip=True default=False";
        Assert.Equal(expected, Describe(powerShell.ToSettings()));
        Assert.Equal(expected, Describe(api.ToSettings()));
    }

    [Fact]
    public void AFieldThatIsThereIsGivenEvenWhenNullAndAMissingOneIsNot()
    {
        var withNulls = SessionSettingsPatch.Read(new Dictionary<string, object?> { ["Command"] = null, ["working_directory"] = null, ["Port"] = null, ["StripPathPrefix"] = null });
        Assert.True(withNulls.Command.IsGiven);
        Assert.True(withNulls.WorkingDirectory.IsGiven);
        Assert.Null(withNulls.Port);
        Assert.Null(withNulls.StripPathPrefix);
        SessionSettings settings = withNulls.ApplyTo(Base);
        Assert.Null(settings.Command);
        Assert.Null(settings.WorkingDirectory);
        Assert.Equal(Base.Args, settings.Args);
        Assert.Equal(8080, settings.Port);
        Assert.True(settings.StripPathPrefix);
    }

    [Theory]
    [InlineData("Port", "eighty")]
    [InlineData("uid", "1.5")]
    [InlineData("Gid", "")]
    public void ANumberThatIsNotWholeIsRefused(string field, string value)
    {
        var ex = Assert.Throws<SessionSettingsException>(() => SessionSettingsPatch.Read(new Dictionary<string, object?> { [field] = value }));
        Assert.Contains("not a whole number", ex.Message, StringComparison.Ordinal);
    }
}
