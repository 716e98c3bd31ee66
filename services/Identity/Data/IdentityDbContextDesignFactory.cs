using Microsoft.EntityFrameworkCore;

namespace McpPlatform.Identity.Data;

/// <summary>Lets <c>dotnet ef</c> build the context without the running service.</summary>
internal sealed class IdentityDbContextDesignFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<IdentityDbContext>
{
    public IdentityDbContext CreateDbContext(string[] args)
    {
        // Design time only (adding migrations): no connection is opened.
        var options = new DbContextOptionsBuilder<IdentityDbContext>();
        options.UseIdentityDatabase("Host=localhost;Database=identitydb");
        return new IdentityDbContext(options.Options);
    }
}
