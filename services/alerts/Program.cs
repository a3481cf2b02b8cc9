Requesty.Alerts.AlertsApp.Build(args).Run();
