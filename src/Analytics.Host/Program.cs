using Analytics.Host;

var app = AnalyticsHost.Build(args);
await AnalyticsHost.PrepareAsync(app);
await app.RunAsync();
