using System.Globalization;

namespace NexusFast.Load;

/// <summary>What one load run does; parsed from the command line (see <see cref="Usage"/>).</summary>
public sealed class LoadOptions
{
    public const string Usage = """
        usage: ./build.sh load [options]
          --transactions N   transfers to pre-sign and submit (default 200000)
          --accounts M       funded sender accounts, secrets 1..M (default 2000)
          --rate R           target submissions per second; 0 = as fast as the node accepts (default 0)
          --batch B          transactions per HTTP request: 1 = single eth_sendRawTransaction calls,
                             more = JSON-RPC batches (default 100)
          --connections C    concurrent HTTP connections (default 8)
          --state-accounts N extra funded accounts (no keys) in the started node's genesis, to size its
                             state: with N = 1000000 the report checks the 1 GiB RSS target (default 0)
          --validators N     0: one node mining by itself every --block-time ms (the devnet's shape);
                             N >= 1: a BFT testnet of N validator processes (`nexusfast testnet init`),
                             proposers gathering transactions for --block-time ms (default 0)
          --name NAME        report name: NAME.md, NAME.tsv and SVG charts in --out (default LoadTest)
          --consensus-summary  write ConsensusLoad.md in --out from the ConsensusLoad-* runs in
                             --out/consensus (perf/consensus/run.sh) and exit
          --url URL          drive a node that is already running (its genesis must fund the accounts:
                             --print-alloc writes the genesis.alloc object and exits); default: start
                             artifacts/nexusfast node on 127.0.0.1:8650 with such a genesis
          --binary PATH      the node binary to start (default artifacts/nexusfast)
          --block-time MS    block interval of the started node (default 250)
          --gas-limit G      block gas limit of the started node (default 2,100,000,000: 100,000 transfers)
          --timeout S        give up waiting for commits S seconds after the last submission (default 60)
          --out DIR          where LoadTest.md and the SVG charts go (default perf/results)
          --print-alloc      print the genesis.alloc JSON for --accounts and exit
        """;

    public int Transactions { get; private set; } = 200_000;
    public int Accounts { get; private set; } = 2_000;
    public int StateAccounts { get; private set; }
    public double Rate { get; private set; }
    public int Batch { get; private set; } = 100;
    public int Connections { get; private set; } = 8;
    public Uri? Url { get; private set; }
    public string Binary { get; private set; } = "artifacts/nexusfast";
    public int BlockTimeMs { get; private set; } = 250;
    public ulong GasLimit { get; private set; } = 2_100_000_000;
    public int TimeoutSeconds { get; private set; } = 60;
    public string OutDirectory { get; private set; } = "perf/results";
    public bool PrintAlloc { get; private set; }
    public int Validators { get; private set; }
    public string Name { get; private set; } = "LoadTest";
    public bool ConsensusSummary { get; private set; }

    public bool Help { get; private set; }
    public ulong ChainId { get; } = 31337;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="ArgumentException"/> naming the bad option.</summary>
    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (name is "--print-alloc" or "--consensus-summary" or "--help" or "-h")
            {
                if (name == "--print-alloc") options.PrintAlloc = true;
                else if (name == "--consensus-summary") options.ConsensusSummary = true;
                else options.Help = true;
                continue;
            }
            if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value");
            string value = args[++i];
            switch (name)
            {
                case "--transactions": options.Transactions = Positive(name, value); break;
                case "--accounts": options.Accounts = Positive(name, value); break;
                case "--state-accounts": options.StateAccounts = value == "0" ? 0 : Positive(name, value); break;
                case "--rate": options.Rate = NonNegative(name, value); break;
                case "--batch": options.Batch = Positive(name, value); break;
                case "--connections": options.Connections = Positive(name, value); break;
                case "--url": options.Url = ParseUrl(value); break;
                case "--binary": options.Binary = value; break;
                case "--block-time": options.BlockTimeMs = Positive(name, value); break;
                case "--gas-limit": options.GasLimit = (ulong)Positive(name, value); break;
                case "--timeout": options.TimeoutSeconds = Positive(name, value); break;
                case "--out": options.OutDirectory = value; break;
                case "--validators": options.Validators = value == "0" ? 0 : Positive(name, value); break;
                case "--name": options.Name = FileName(name, value); break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }
        if (options.Accounts > options.Transactions) options.Accounts = options.Transactions;
        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value.Replace(",", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer, got '{value}'");

    private static string FileName(string name, string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? value
            : throw new ArgumentException($"{name} must be 1-64 letters, digits, '-' or '_', got '{value}'");

    private static double NonNegative(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && x >= 0 && double.IsFinite(x)
            ? x
            : throw new ArgumentException($"{name} must be a number >= 0, got '{value}'");

    private static Uri ParseUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ArgumentException($"--url must be an http(s) URL, got '{value}'");
}
