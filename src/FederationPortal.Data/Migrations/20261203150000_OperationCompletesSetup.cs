using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace FederationPortal.Data.Migrations
{
    /// <inheritdoc />
    public partial class OperationCompletesSetup : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "CompletesSetup",
                table: "Operations",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            // Operations stored before the column existed completed the setup when they ran the whole plan or its last
            // stage (the assignments), which is what the runner tested then.
            migrationBuilder.Sql("UPDATE Operations SET CompletesSetup = 1 WHERE Kind = 'Apply' AND (Stage IS NULL OR Stage = 'assignments');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CompletesSetup",
                table: "Operations");
        }
    }
}
