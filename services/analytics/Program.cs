Requesty.Analytics.AnalyticsApp.Build(args).Run();
