Requesty.Router.RouterApp.Build(args).Run();
