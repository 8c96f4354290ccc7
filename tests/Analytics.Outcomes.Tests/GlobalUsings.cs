global using Xunit;
global using Analytics.Testing;
global using Analytics.Data;
