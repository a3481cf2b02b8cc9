using Requesty.Bench;
using Requesty.Bench.Hosting;

// The load generator's own socket completions run on its I/O thread (less CPU taken from the servers it measures).
// Children do not inherit this: each server decides for itself (see ChildProcess).
Environment.SetEnvironmentVariable(ChildProcess.InlineCompletionsVariable, "1");
return await BenchRun.MainAsync(args);
