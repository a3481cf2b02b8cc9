using System.Globalization;

namespace Requesty.Bench;

/// <summary>Command-line flags (see bench/README.md). Defaults keep a full run around three minutes.</summary>
public sealed class BenchOptions
{
    public int Rate { get; private set; } = 2000;
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(20);
    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(10);
    public TimeSpan ThroughputDuration { get; private set; } = TimeSpan.FromSeconds(5);
    public int Concurrency { get; private set; } = 32;
    public int MaxInFlight { get; private set; } = 2000;
    public bool Stream { get; private set; } = true;
    public bool NonStream { get; private set; } = true;
    /// <summary>Also measure the floor proxy (bench/Requesty.Bench.FloorProxy): what one more process hop costs.</summary>
    public bool Floor { get; private set; } = true;
    /// <summary>How long the load goes to one path before the next path's turn.</summary>
    public TimeSpan Round { get; private set; } = TimeSpan.FromSeconds(1);
    /// <summary>Which request body the router is sent: see Load/ChatBodies.</summary>
    public string Conversation { get; private set; } = Load.ChatBodies.Short;
    /// <summary>Which API the load speaks: OpenAI chat completions or Anthropic Messages.</summary>
    public string Api { get; private set; } = Load.ChatBodies.ChatApi;
    /// <summary>The model the router is asked for; null = the API's own (no translation).</summary>
    public string? Model { get; private set; }
    public string? Baseline { get; private set; }
    public string RabbitMqUri { get; private set; } =
        Environment.GetEnvironmentVariable("REQUESTY_BENCH_RABBITMQ") is { Length: > 0 } uri
            ? uri
            : "amqp://requesty:requesty@127.0.0.1:25672/requesty_bench";
    public string? RepoRoot { get; private set; }
    public string? RouterDll { get; private set; }
    public string? SimulatorDll { get; private set; }
    public List<string> RouterArgs { get; } = [];
    public Dictionary<string, string> RouterEnvironment { get; } = [];
    public Dictionary<string, string> BaselineEnvironment { get; } = [];
    public string? ResultsDirectory { get; private set; }
    public bool Save { get; private set; } = true;
    public bool Help { get; private set; }

    /// <summary>No-broker mode: an unreachable port; the router's journal keeps events on disk.</summary>
    public const string NoBrokerUri = "amqp://requesty:requesty@127.0.0.1:1/none";

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{arg} needs a value");
            switch (arg)
            {
                case "--rate": options.Rate = PositiveInt(arg, Value()); break;
                case "--warmup": options.Warmup = Seconds(arg, Value(), allowZero: true); break;
                case "--duration": options.Duration = Seconds(arg, Value(), allowZero: false); break;
                case "--throughput-duration": options.ThroughputDuration = Seconds(arg, Value(), allowZero: true); break;
                case "--concurrency": options.Concurrency = PositiveInt(arg, Value()); break;
                case "--max-inflight": options.MaxInFlight = PositiveInt(arg, Value()); break;
                case "--only":
                    var only = Value();
                    options.Stream = only is "stream";
                    options.NonStream = only is "non-stream";
                    if (!options.Stream && !options.NonStream) throw new ArgumentException("--only takes stream or non-stream");
                    break;
                case "--conversation":
                    var conversation = Value();
                    options.Conversation = conversation is Load.ChatBodies.Short or Load.ChatBodies.Agent
                        ? conversation : throw new ArgumentException("--conversation takes short or agent");
                    break;
                case "--api":
                    var api = Value();
                    options.Api = api is Load.ChatBodies.ChatApi or Load.ChatBodies.MessagesApi
                        ? api : throw new ArgumentException("--api takes chat or messages");
                    break;
                case "--model":
                    var model = Value();
                    options.Model = model.Contains('/') ? model : throw new ArgumentException("--model takes a catalogue id such as openai/gpt-4o-mini");
                    break;
                case "--quick":
                    options.Warmup = TimeSpan.FromSeconds(1);
                    options.Duration = TimeSpan.FromSeconds(3);
                    options.ThroughputDuration = TimeSpan.FromSeconds(2);
                    break;
                case "--baseline": options.Baseline = Value(); break;
                case "--no-floor": options.Floor = false; break;
                case "--round": options.Round = Seconds(arg, Value(), allowZero: false); break;
                case "--rabbitmq":
                    var broker = Value();
                    options.RabbitMqUri = broker is "none" ? NoBrokerUri : broker;
                    break;
                case "--repo": options.RepoRoot = Path.GetFullPath(Value()); break;
                case "--router-dll": options.RouterDll = Path.GetFullPath(Value()); break;
                case "--simulator-dll": options.SimulatorDll = Path.GetFullPath(Value()); break;
                case "--router-arg": options.RouterArgs.Add(Value()); break;
                case "--router-env": AddVariable(options.RouterEnvironment, arg, Value()); break;
                case "--baseline-env": AddVariable(options.BaselineEnvironment, arg, Value()); break;
                case "--results-dir": options.ResultsDirectory = Path.GetFullPath(Value()); break;
                case "--no-save": options.Save = false; break;
                case "-h" or "--help": options.Help = true; break;
                default: throw new ArgumentException($"unknown option {arg} (see --help)");
            }
        }
        return options;
    }

    public const string Usage = """
        usage: Requesty.Bench [options]   (or ./requesty bench [options], which builds Release first)

          --rate N                  open-loop request rate per path, requests/s (default 2000)
          --warmup S                warm-up seconds per path before measuring (default 20: tiered JIT settles)
          --duration S              measured seconds per path (default 10)
          --throughput-duration S   closed-loop max-throughput seconds per path, 0 = skip (default 5)
          --concurrency N           closed-loop concurrent requests (default 32)
          --max-inflight N          open-loop cap; requests due beyond it are counted as dropped (default 2000)
          --only stream|non-stream  run one scenario only
          --conversation short|agent  the request body: a system prompt and one question (default), or a coding
                                    agent's ~50 KB request (tools, twelve turns of tool calls and results)
          --api chat|messages       OpenAI chat completions to openai/gpt-4o-mini (default), or Anthropic Messages
                                    (/v1/messages) to anthropic/claude-haiku-4-5
          --model ID                ask the router for this model instead (e.g. --api messages --model
                                    openai/gpt-4o-mini: Claude Code's format translated to OpenAI's and back); the
                                    direct and floor paths send the router's upstream request to the same upstream path
          --quick                   warm-up 1 s, duration 3 s, throughput 2 s (a smoke run)
          --baseline REF|FILE|last  also measure the router built from git REF in the same run, or compare
                                    with a saved results JSON (FILE, or the newest one in bench/results)
          --round S                 the paths take turns of S seconds through warm-up and measurement (default 1)
          --no-floor                skip the floor path (a minimal .NET proxy in front of the simulator: what one
                                    more process hop costs on this machine, without the router's own work)
          --rabbitmq URI|none       broker for the router's events (default $REQUESTY_BENCH_RABBITMQ or
                                    the requesty_bench vhost); none = unreachable, events stay in the journal
          --router-arg ARG          extra router argument, repeatable (e.g. --Logging:LogLevel:Default=Warning)
          --router-env NAME=VALUE   environment variable for the router process(es), repeatable
                                    (e.g. DOTNET_gcServer=0 to try a runtime setting)
          --baseline-env NAME=VALUE environment variable for the baseline router only: with --baseline HEAD, an A/B
                                    of a runtime setting on the same build in the same run
          --router-dll / --simulator-dll PATH   use these builds (default: the repo's bin/Release)
          --repo PATH               repository root (default: found from the current directory)
          --results-dir PATH        where results JSON goes (default bench/results)
          --no-save                 do not write a results file
        """;

    private static void AddVariable(Dictionary<string, string> variables, string name, string value)
    {
        var equals = value.IndexOf('=');
        if (equals <= 0) throw new ArgumentException($"{name} takes NAME=VALUE, not '{value}'");
        variables[value[..equals]] = value[(equals + 1)..];
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new ArgumentException($"{name} takes a positive integer, not '{value}'");

    private static TimeSpan Seconds(string name, string value, bool allowZero) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && (s > 0 || (allowZero && s == 0))
            ? TimeSpan.FromSeconds(s) : throw new ArgumentException($"{name} takes seconds, not '{value}'");
}
