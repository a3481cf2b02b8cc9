using Requesty.Bench.Analytics;

var options = BenchOptions.Parse(args);
return await AnalyticsBench.RunAsync(options);
