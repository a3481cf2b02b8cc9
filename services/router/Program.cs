Requesty.Router.Hosting.InlineIo.EnableSocketCompletions();
Requesty.Router.RouterApp.Build(args).Run();
