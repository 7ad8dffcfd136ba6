using Poe.WebhookBridge.Clients;
using Poe.WebhookBridge.Delivery;
using Poe.WebhookBridge.Delivery.Recovery;
using Poe.WebhookBridge.Delivery.TestEvents;
using Poe.WebhookBridge.Endpoints;
using Poe.WebhookBridge.Gateway;
using Poe.WebhookBridge.Infrastructure.Configuration;
using Poe.WebhookBridge.Infrastructure.Data;
using Poe.WebhookBridge.Infrastructure.Hangfire;
using Poe.WebhookBridge.Infrastructure.Problems;
using Poe.WebhookBridge.Operations;
using Poe.WebhookBridge.Polling;
using Poe.WebhookBridge.Watches;

var builder = WebApplication.CreateBuilder(args);
builder.AddBridgeConfiguration();
builder.AddBridgeOptions();
builder.AddBridgeProblems();
builder.AddBridgeDatabase();
builder.AddBridgeHangfire();
builder.AddClients();
builder.AddWatches();
builder.AddPolling();
builder.AddDelivery();
builder.AddEndpointHealth();
builder.AddRecoveries();
builder.AddGateway();
builder.AddOperations();

var app = builder.Build();
await app.PrepareDatabaseAsync();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.MapWatches();
app.MapEvents();
app.MapEndpointHealth();
app.MapRecoveries();
app.MapTestEvents();
app.MapGateway();
app.MapOperations();
app.UseBridgeJobs();

await app.RunAsync();

public partial class Program;
