using System.Globalization;
using Dapper;
using SiteWatch.Core.Model;

namespace SiteWatch.Storage;

/// <summary>The users of the web pages (passwords only as hashes).</summary>
public sealed class UserStore(Database database)
{
    public async Task<User?> GetAsync(string name, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<(string, string, string, string?, string)?>(new CommandDefinition(
            "SELECT name, password_hash, role, organization, created_at FROM users WHERE name = @name", new { name }, cancellationToken: ct));
        return row is { } r ? new User(r.Item1, r.Item2, r.Item3, r.Item4, DateTimeOffset.Parse(r.Item5, CultureInfo.InvariantCulture)) : null;
    }

    public async Task SaveAsync(User user, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO users (name, password_hash, role, organization, created_at) VALUES (@Name, @PasswordHash, @Role, @Organization, @CreatedAt)
            ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role, organization = excluded.organization
            """, new { user.Name, user.PasswordHash, user.Role, user.Organization, CreatedAt = user.CreatedAt.ToString("o") }, cancellationToken: ct));
    }

    public async Task<int> CountAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COUNT(*) FROM users", cancellationToken: ct));
    }
}
