using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Messaging.Storage.EfCore.Model;

// Used only by `dotnet ef migrations add` (see README): no database is opened to generate a migration.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMessagingDbContext>
{
    public SqliteMessagingDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<SqliteMessagingDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresMessagingDbContext>
{
    public PostgresMessagingDbContext CreateDbContext(string[] args)
        => new(new DbContextOptionsBuilder<PostgresMessagingDbContext>().UseNpgsql("Host=localhost;Database=design_time").Options);
}
