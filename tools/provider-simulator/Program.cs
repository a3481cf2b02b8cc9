Requesty.ProviderSimulator.SimulatorApp.Build(args).Run();
