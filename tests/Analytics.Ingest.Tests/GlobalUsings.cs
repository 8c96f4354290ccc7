global using Xunit;
global using Analytics.Data;
global using Analytics.Domain;
global using Analytics.Testing;
global using static Analytics.Ingest.Tests.Kit;
