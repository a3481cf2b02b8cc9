Requesty.Management.ManagementApp.Build(args).Run();
