Requesty.McpGateway.McpGatewayApp.Build(args).Run();
