using System.Buffers.Binary;
using System.Globalization;

namespace NexusFast.Engine.Tests.Vm.Conformance;

/// <summary>
/// One <c>.data</c> file of the bpf_conformance or uBPF suite, parsed: its sections by name (comments removed,
/// <c>-- name @ file</c> sections read from the file beside it). Unknown sections are an error.
/// </summary>
public sealed class ConformanceCase
{
    private static readonly HashSet<string> s_known = new(StringComparer.Ordinal)
    {
        "asm", "raw", "mem", "result", "error", "error pattern", "c", "no register offset", "no jit", "description",
        "reload", "unload",
    };

    private readonly Dictionary<string, string> _sections;

    private ConformanceCase(Dictionary<string, string> sections) => _sections = sections;

    public static ConformanceCase Load(string path)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        string? current = null;
        var body = new List<string>();
        foreach (string line in File.ReadAllLines(path))
        {
            if (line.StartsWith("--", StringComparison.Ordinal))
            {
                Close(sections, current, body);
                string header = line[2..].Trim();
                int at = header.IndexOf('@');
                current = (at >= 0 ? header[..at] : header).Trim();
                if (!s_known.Contains(current)) throw new FormatException($"{path}: unknown section '-- {current}'");
                if (at >= 0) body.AddRange(File.ReadAllLines(Path.Combine(Path.GetDirectoryName(path)!, header[(at + 1)..].Trim())));
                continue;
            }
            if (current is not null) body.Add(line);
        }
        Close(sections, current, body);
        return new ConformanceCase(sections);
    }

    private static void Close(Dictionary<string, string> sections, string? name, List<string> body)
    {
        if (name is not null) sections[name] = string.Join('\n', body);
        body.Clear();
    }

    public string? Asm => _sections.GetValueOrDefault("asm");

    public bool HasRaw => _sections.ContainsKey("raw");

    public bool ExpectsError => _sections.ContainsKey("error") || _sections.ContainsKey("error pattern");

    public bool HasResult => _sections.ContainsKey("result");

    /// <summary>uBPF's pure encoding cases: asm and raw, nothing to run or expect.</summary>
    public bool IsEncodingOnly => HasRaw && Asm is not null && !HasResult && !ExpectsError;

    /// <summary>The expected r0: hex with 0x, else decimal.</summary>
    public ulong Result
    {
        get
        {
            string text = StripComments(_sections["result"]).Trim();
            return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? ulong.Parse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture)
                : (ulong)long.Parse(text, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The input buffer; in .hex files a leading "address:" on a line is dropped.</summary>
    public byte[] Memory
    {
        get
        {
            if (!_sections.TryGetValue("mem", out string? text)) return [];
            var bytes = new List<byte>();
            foreach (string rawLine in StripComments(text).Split('\n'))
            {
                string line = rawLine;
                int colon = line.IndexOf(':');
                if (colon >= 0) line = line[(colon + 1)..];
                // .data files write one byte per token, uBPF's .hex files (tcpdump -x) two-byte groups.
                foreach (string token in line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries))
                {
                    if (token.Length % 2 != 0) throw new FormatException($"mem token '{token}' is not whole bytes");
                    for (int i = 0; i < token.Length; i += 2)
                        bytes.Add(byte.Parse(token.AsSpan(i, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                }
            }
            return [.. bytes];
        }
    }

    /// <summary>The program bytes: from <c>raw</c> when present (the truth, per the README), else assembled.</summary>
    public byte[] Code() => HasRaw ? RawCode() : BpfAssembler.Assemble(Asm ?? throw new FormatException("no asm or raw section"));

    /// <summary>Either one little-endian u64 per line, or 8 space-separated bytes per line in memory order.</summary>
    public byte[] RawCode()
    {
        var bytes = new List<byte>();
        foreach (string rawLine in StripComments(_sections["raw"]).Split('\n'))
        {
            string[] tokens = rawLine.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length == 0) continue;
            if (tokens.Length == 8)
            {
                foreach (string token in tokens) bytes.Add(byte.Parse(token, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                continue;
            }
            if (tokens.Length != 1) throw new FormatException($"raw line '{rawLine}' is neither one u64 nor 8 bytes");
            string hex = tokens[0].StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? tokens[0][2..] : tokens[0];
            var slot = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(slot, ulong.Parse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
            bytes.AddRange(slot);
        }
        return [.. bytes];
    }

    private static string StripComments(string text) =>
        string.Join('\n', text.Split('\n').Select(line => line.IndexOf('#') is int i and >= 0 ? line[..i] : line));
}
