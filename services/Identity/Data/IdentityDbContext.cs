using McpPlatform.Core;
using McpPlatform.Identity.Data.Directory;
using Microsoft.EntityFrameworkCore;

namespace McpPlatform.Identity.Data;

/// <summary>The identity database: the tenant directory plus OpenIddict's stores.</summary>
public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options)
{
    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<User> Users => Set<User>();

    public DbSet<Membership> Memberships => Set<Membership>();

    public DbSet<Agent> Agents => Set<Agent>();

    public DbSet<TenancyPin> TenancyPins => Set<TenancyPin>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.UseOpenIddict();

        modelBuilder.Entity<Tenant>(tenant =>
        {
            tenant.ToTable("tenants");
            tenant.HasKey(t => t.Id);
            tenant.Property(t => t.Id).HasMaxLength(64);
            tenant.Property(t => t.Slug).HasMaxLength(64);
            tenant.HasIndex(t => t.Slug).IsUnique();
            tenant.Property(t => t.DisplayName).HasMaxLength(200);
        });

        modelBuilder.Entity<User>(user =>
        {
            user.ToTable("users");
            user.HasKey(u => u.Id);
            user.Property(u => u.Id).HasMaxLength(64);
            user.Property(u => u.Email).HasMaxLength(256);
            user.HasIndex(u => u.Email).IsUnique();
            user.Property(u => u.DisplayName).HasMaxLength(200);
        });

        modelBuilder.Entity<Membership>(membership =>
        {
            membership.ToTable("memberships", table => table.HasCheckConstraint(
                "ck_memberships_role", $"\"Role\" IN ('{PlatformRoles.TenantMember}', '{PlatformRoles.TenantAdmin}')"));
            membership.HasKey(m => new { m.UserId, m.TenantId });
            membership.Property(m => m.Role).HasMaxLength(32);
            membership.HasOne(m => m.User).WithMany(u => u.Memberships).HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
            membership.HasOne(m => m.Tenant).WithMany(t => t.Memberships).HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<Agent>(agent =>
        {
            agent.ToTable("agents");
            agent.HasKey(a => a.ClientId);
            agent.Property(a => a.ClientId).HasMaxLength(100);
            agent.Property(a => a.DisplayName).HasMaxLength(200);
            agent.HasOne(a => a.Tenant).WithMany(t => t.Agents).HasForeignKey(a => a.TenantId).OnDelete(DeleteBehavior.Restrict);
        });

        modelBuilder.Entity<TenancyPin>(pin =>
        {
            pin.ToTable("tenancy_pin", table => table.HasCheckConstraint("ck_tenancy_pin_singleton", $"\"Id\" = {TenancyPin.SingletonId}"));
            pin.HasKey(p => p.Id);
            pin.Property(p => p.Id).ValueGeneratedNever();
            pin.Property(p => p.Setting).HasMaxLength(200);
        });
    }
}
