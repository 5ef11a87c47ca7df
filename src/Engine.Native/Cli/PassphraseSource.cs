using System.Text;

namespace NexusFast.Native.Cli;

/// <summary>
/// Where a passphrase comes from: a file (first line, trailing newline removed) or the terminal without echo.
/// Never a command-line flag: flags end up in shell history and in every process listing.
/// </summary>
public static class PassphraseSource
{
    public static string Read(string? passphraseFile, string prompt, bool confirm)
    {
        if (passphraseFile is not null) return FromFile(passphraseFile);
        if (Console.IsInputRedirected)
            throw new CliException("no terminal to read the passphrase from: pass --passphrase-file FILE");
        string first = FromTerminal(prompt);
        if (confirm && FromTerminal("Repeat passphrase: ") != first) throw new CliException("the passphrases differ");
        return first;
    }

    public static string FromFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"passphrase file {path}: {e.Message}");
        }
        int newline = text.IndexOfAny(['\r', '\n']);
        return newline >= 0 ? text[..newline] : text;
    }

    private static string FromTerminal(string prompt)
    {
        Console.Error.Write(prompt);
        var passphrase = new StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace)
            {
                if (passphrase.Length > 0) passphrase.Length--;
                continue;
            }
            if (!char.IsControl(key.KeyChar)) passphrase.Append(key.KeyChar);
        }
        Console.Error.WriteLine();
        return passphrase.ToString();
    }
}

/// <summary>A user error on the command line: printed as one line, exit code 1.</summary>
public sealed class CliException(string message) : Exception(message);
