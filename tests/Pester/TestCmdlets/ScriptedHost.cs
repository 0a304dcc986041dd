// A test-only host for tests/Pester/CmdletCore.Tests.ps1 (compiled with the core's test cmdlets):
// it answers the confirmation prompts of -Confirm from a script. Never shipped with the module.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace Renku.PowerShell.TestCmdlets;

/// <summary>
/// A host whose user answers confirmation prompts from a script (0 = the first choice, Yes; 2 = No),
/// and counts the prompts.
/// </summary>
public sealed class ScriptedHost : PSHost
{
    private readonly ScriptedUI ui;

    public ScriptedHost(params int[] answers)
    {
        ui = new ScriptedUI(new Queue<int>(answers));
    }

    public int Prompts => ui.Prompts;

    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;

    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;

    public override Guid InstanceId { get; } = Guid.NewGuid();

    public override string Name => "ScriptedHost";

    public override PSHostUserInterface UI => ui;

    public override Version Version => new(1, 0);

    public override void EnterNestedPrompt() => throw new NotSupportedException();

    public override void ExitNestedPrompt() => throw new NotSupportedException();

    public override void NotifyBeginApplication()
    {
    }

    public override void NotifyEndApplication()
    {
    }

    public override void SetShouldExit(int exitCode)
    {
    }

    private sealed class ScriptedUI : PSHostUserInterface
    {
        private readonly Queue<int> answers;

        internal ScriptedUI(Queue<int> answers)
        {
            this.answers = answers;
        }

        internal int Prompts { get; private set; }

        public override PSHostRawUserInterface? RawUI => null;

        public override int PromptForChoice(string caption, string message, System.Collections.ObjectModel.Collection<ChoiceDescription> choices, int defaultChoice)
        {
            Prompts++;
            return answers.Count > 0 ? answers.Dequeue() : throw new InvalidOperationException("The script has no more answers.");
        }

        public override Dictionary<string, PSObject> Prompt(string caption, string message, System.Collections.ObjectModel.Collection<FieldDescription> descriptions) => throw new NotSupportedException();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();

        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();

        public override string ReadLine() => throw new NotSupportedException();

        public override SecureString ReadLineAsSecureString() => throw new NotSupportedException();

        public override void Write(string value)
        {
        }

        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value)
        {
        }

        public override void WriteDebugLine(string message)
        {
        }

        public override void WriteErrorLine(string value)
        {
        }

        public override void WriteLine(string value)
        {
        }

        public override void WriteProgress(long sourceId, ProgressRecord record)
        {
        }

        public override void WriteVerboseLine(string message)
        {
        }

        public override void WriteWarningLine(string message)
        {
        }
    }
}
