using Requesty.Contracts.Management;
using Requesty.Router.Catalog;
using Requesty.Router.Endpoints.ChatCompletions;
using Requesty.Router.Endpoints.Embeddings;
using Requesty.Router.Endpoints.Images;
using Requesty.Router.Endpoints.Feedback;
using Requesty.Router.Endpoints.Messages;
using Requesty.Router.Endpoints.Models;
using Requesty.Router.Endpoints.Responses;
using Requesty.Router.Events;
using Requesty.Router.Keys;
using Requesty.Router.Pipeline;
using Requesty.Router.Pipeline.Validation;
using Requesty.Router.Providers;
using Requesty.Router.Providers.Anthropic;
using Requesty.Router.Providers.Google;
using Requesty.Router.Providers.OpenAI;
using Requesty.Router.Providers.OpenAICompatible;
using Requesty.ServiceDefaults;
using MassTransit;

namespace Requesty.Router;

/// <summary>Builds the router; Program.cs runs it, tests host it in-process.</summary>
public static class RouterApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        var configuration = builder.Configuration;
        Hosting.InlineIo.ConfigureKestrel(builder);
        var services = builder.Services;

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(RouterOptions.From(configuration));
        services.AddSingleton(new ModelCatalog(CatalogFile.Load(configuration).WithConfiguredModels(configuration)));
        services.AddSingleton<ProviderDirectory>();

        // Keys: cache filled from management, kept fresh by events.
        services.AddSingleton<KeyCache>();
        services.AddSingleton<KeyResolver>();
        services.AddSingleton<CallerAuthenticator>();
        services.AddHttpClient<ManagementKeysClient>(http => ManagementKeysClient.Configure(http, configuration));
        services.AddHostedService<KeySyncService>();
        services.AddHealthChecks().AddCheck<KeysLoadedHealthCheck>("keys", tags: [ServiceDefaultsExtensions.ReadyTag]);

        // Providers: one pooled connection set per provider.
        services.AddProviderHttpClient(OpenAIChatProvider.HttpClientName);
        services.AddSingleton<OpenAIStreamRelay>();
        services.AddSingleton<IChatCompletionsProvider, OpenAIChatProvider>();
        services.AddProviderHttpClient(AnthropicChatProvider.HttpClientName);
        services.AddSingleton<AnthropicStreamTranslator>();
        services.AddSingleton<IChatCompletionsProvider, AnthropicChatProvider>();
        services.AddProviderHttpClient(GeminiChatProvider.HttpClientName);
        services.AddSingleton<GeminiStreamTranslator>();
        services.AddSingleton<IChatCompletionsProvider, GeminiChatProvider>();
        services.AddMoreChatProviders(configuration);
        Providers.Vertex.VertexRegistration.AddVertexProvider(services, configuration);
        services.AddSingleton<ChatCompletionsProviders>();
        services.AddSingleton<ChatDispatcher>();
        Routing.RoutingServiceExtensions.AddRoutingPolicies(services, configuration);
        Budget.BudgetServiceExtensions.AddBudget(services, configuration);
        Byok.ByokServiceExtensions.AddByok(services, configuration);
        services.AddSingleton<RequestLifecycle>();
        services.AddSingleton<RecentRequests>();
        services.AddHttpClient<AnalyticsRequestsClient>(http => AnalyticsRequestsClient.Configure(http, configuration));
        services.AddSingleton<ChatCompletionsHandler>();
        services.AddSingleton<MessagesHandler>();
        services.AddResponsesEndpoint();
        services.AddEmbeddingsEndpoint().AddImagesEndpoint();

        // Events: the bus first, so the journal services (registered after it) stop before it does.
        var instanceQueue = $"router-keys-{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid():N}";
        builder.AddRabbitMqBus(
            bus =>
            {
                bus.AddConsumer<KeyEventsConsumer>();
                bus.AddConsumer<Routing.PolicyEventsConsumer>();
                bus.AddConsumer<Budget.SpendBlockEventsConsumer>();
                bus.AddConsumer<Byok.ByokEventsConsumer>();
            },
            (context, cfg) => cfg.ReceiveEndpoint(instanceQueue, endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Durable = false;
                endpoint.ConfigureConsumer<KeyEventsConsumer>(context);
                endpoint.ConfigureConsumer<Routing.PolicyEventsConsumer>(context);
                endpoint.ConfigureConsumer<Budget.SpendBlockEventsConsumer>(context);
                endpoint.ConfigureConsumer<Byok.ByokEventsConsumer>(context);
            }));
        services.AddSingleton(JournalOptions.From(configuration));
        services.AddSingleton<RequestEventJournal>();
        services.AddSingleton<JournalPublisher>();
        services.AddHostedService(sp => sp.GetRequiredService<JournalPublisher>());
        services.AddHostedService(sp => sp.GetRequiredService<RequestEventJournal>());

        var app = builder.Build();
        app.MapServiceDefaults();
        app.UseRequestBodyLimit();
        app.MapChatCompletions();
        Routing.RouteExplainEndpoint.MapRouteExplain(app);
        app.MapMessages();
        app.MapResponses();
        app.MapEmbeddings().MapImages();
        app.MapFeedback();
        app.MapModels();
        return app;
    }
}
