using Requesty.Bench;

return await BenchRun.MainAsync(args);
