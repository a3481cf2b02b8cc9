using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Requesty.ServiceDefaults;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ (RabbitMq:Uri, e.g. amqp://user:pass@127.0.0.1:25672/requesty).
    /// Each service names its own endpoints through <paramref name="configureEndpoints"/>, so every
    /// consumer gets its own durable queue. Bus health is registered by MassTransit under the
    /// "ready" tag.
    /// </summary>
    public static IHostApplicationBuilder AddRabbitMqBus(
        this IHostApplicationBuilder builder,
        Action<IBusRegistrationConfigurator>? registerConsumers = null,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? configureEndpoints = null)
    {
        var uri = builder.Configuration["RabbitMq:Uri"]
            ?? throw new InvalidOperationException("RabbitMq:Uri is not configured (env RabbitMq__Uri).");
        builder.Services.AddMassTransit(bus =>
        {
            registerConsumers?.Invoke(bus);
            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(uri));
                if (configureEndpoints is null) cfg.ConfigureEndpoints(context);
                else configureEndpoints(context, cfg);
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(15);
        });
        return builder;
    }
}
