package io.drover.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.core.crypto.AgeKeys;
import io.drover.core.spi.SecretScanner;
import io.drover.core.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MariaDB backups end to end against the machine's real server: a database with several tables,
 * a procedure, a function, a trigger and a view backed up to S3 and SFTP by the real CLI jar,
 * restore-tested on both into temporary instances with row-count, query and canary checks, the
 * scratch instances gone afterwards and the password in no child's argv or environment; then
 * loaded into a named database with routines and triggers working.
 */
class MariaDbBackupIT {
    private static final AdminSql ROOT = new AdminSql("jdbc:mariadb://127.0.0.1:3306/?user=root");

    @TempDir
    Path dir;

    private final String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final String database = "drover_it_shop_" + suffix;
    private final String copy = "drover_it_copy_" + suffix;
    private final String user = "drover_it_" + suffix;
    private final String password = "canary-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());

    @BeforeEach
    void createDatabase() throws Exception {
        TestServices.requireService("MariaDB on 127.0.0.1:3306 (root without password)", ROOT.reachable(),
                "start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql");
        ROOT.execute("create database " + database);
        ROOT.execute("create user '" + user + "'@'127.0.0.1' identified by '" + password + "'");
        ROOT.execute("grant all on " + database + ".* to '" + user + "'@'127.0.0.1'");
        ROOT.execute("grant select on mysql.proc to '" + user + "'@'127.0.0.1'");
        ROOT.execute("grant all on " + copy + ".* to '" + user + "'@'127.0.0.1'"); // restore --database creates it
        // The application's account owns its schema, routines and triggers (their DEFINER), as it would in production.
        java.util.Properties owner = new java.util.Properties();
        owner.setProperty("user", user);
        owner.setProperty("password", password);
        try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/" + database, owner);
             Statement s = c.createStatement()) {
            s.execute("create table customers (id int primary key, name varchar(100) not null)");
            s.execute("create table orders (id int auto_increment primary key, customer int not null, total decimal(10,2),"
                    + " foreign key (customer) references customers(id))");
            s.execute("create table audit (id int auto_increment primary key, order_id int, at datetime(6))");
            s.execute("insert into customers select seq, concat('customer ', seq) from seq_1_to_500");
            s.execute("insert into orders (customer, total) select 1 + seq mod 500, seq / 100 from seq_1_to_20000");
            s.execute("create trigger orders_audit after insert on orders for each row"
                    + " insert into audit (order_id, at) values (new.id, now(6))");
            s.execute("create procedure add_order(c int, t decimal(10,2)) insert into orders (customer, total) values (c, t)");
            s.execute("create function order_count(c int) returns int reads sql data"
                    + " return (select count(*) from orders where customer = c)");
            s.execute("create view big_orders as select * from orders where total > 100");
            s.execute("call add_order(1, 12.50)");
        }
    }

    @AfterEach
    void dropDatabase() throws Exception {
        if (ROOT.reachable()) {
            ROOT.execute("drop database if exists " + database);
            ROOT.execute("drop database if exists " + copy);
            ROOT.execute("drop user if exists '" + user + "'@'127.0.0.1'");
        }
    }

    @Test
    void aDatabaseWithRoutinesAndTriggersGoesToS3AndSftpAndRestoreTestsPassOnBoth() throws Exception {
        Path passwordFile = dir.resolve("maria-password");
        Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, password);
        AgeKeys.GeneratedKey key = AgeKeys.generate();
        Path keyFile = dir.resolve("key.txt");
        Files.writeString(keyFile, key.identityFile(Instant.now()));
        Path logs = Files.createDirectories(dir.resolve("logs"));
        try (OffsiteServers servers = OffsiteServers.start(dir.resolve("servers"))) {
            Path config = dir.resolve("drover.yaml");
            Files.writeString(config, """
                    state-dir: "%1$s/state"
                    encryption:
                      recipients: [%2$s]
                      identity: "${file:%3$s}"
                    targets:
                    %4$s
                    sources:
                      shop: { type: mariadb, url: "mariadb://%5$s@127.0.0.1:3306/%6$s", password: "${file:%7$s}", canary: true }
                    jobs:
                      shop-db:
                        source: shop
                        targets: [s3, sftp]
                        verify:
                          restore:
                            checks:
                              - { table: orders, min-rows: 20001 }
                              - { table: audit, min-rows: 1 }
                              - { sql: "select count(*) from customers", expect: "500" }
                              - { sql: "select order_count(1) = 41" }
                              - { sql: "select count(*) > 0 from big_orders" }
                    services:
                      shop: { tier: 1, rpo: 1h, protected-by: [shop-db] }
                    """.formatted(dir, key.recipient(), keyFile, servers.targetsYaml("shop").stripTrailing(), user, database,
                    passwordFile));
            DroverRunner drover = new DroverRunner(logs, servers.environment(), List.of("-Xmx512m"));
            DroverRunner.Run verify;
            DroverRunner.Run load;
            List<String> sightings;
            try (SecretScanner scanner = new SecretScanner(password)) {
                assertThat(drover.run(Duration.ofMinutes(2), "init", "--config", config.toString(), "init").exitCode()).isZero();
                DroverRunner.Run backup = drover.run(Duration.ofMinutes(5), "backup", "--config", config.toString(), "backup",
                        "run", "shop-db");
                assertThat(backup.exitCode()).as(drover.log("backup")).isZero();
                verify = drover.run(Duration.ofMinutes(10), "verify", "--config", config.toString(), "verify", "latest",
                        "--job", "shop-db", "--level", "restore");
                load = drover.run(Duration.ofMinutes(5), "load", "--config", config.toString(), "restore", "latest", "--job",
                        "shop-db", "--from", "sftp", "--database", copy);
                scanner.close();
                assertThat(scanner.scans()).isPositive();
                sightings = scanner.sightings();
            }
            System.out.println("MariaDbBackupIT: restore tests on S3 and SFTP " + verify.elapsed().toMillis() + " ms\n"
                    + verify.out());
            assertThat(sightings).as("the password in a process's argv or environment").isEmpty();
            assertThat(verify.exitCode()).as(drover.log("verify")).isZero();
            assertThat(verify.out()).contains(" on s3: restore").contains(" on sftp: restore")
                    .contains("pass table orders has at least 20001 rows").contains("pass sql: select order_count(1) = 41")
                    .contains("pass canary").contains("loaded into temporary MariaDB");
            assertThat(verify.out().lines().filter(l -> l.contains("FAIL"))).isEmpty();
            try (Stream<Path> left = Files.list(dir.resolve("state/tmp"))) {
                assertThat(left).isEmpty();
            }
            assertThat(ROOT.value("select count(*) from information_schema.schemata where schema_name like 'drover_verify_%'"))
                    .isEqualTo("0");

            // Loaded into a named database: data, routines, triggers and the view work there.
            assertThat(load.exitCode()).as(drover.log("load")).isZero();
            assertThat(ROOT.value("select count(*) from " + copy + ".orders")).isEqualTo("20001");
            assertThat(ROOT.value("select " + copy + ".order_count(1)")).isEqualTo("41");
            ROOT.execute("insert into " + copy + ".orders (customer, total) values (2, 1)");
            assertThat(ROOT.value("select count(*) from " + copy + ".audit")).isEqualTo("2");
            assertThat(ROOT.value("select count(*) from information_schema.routines where routine_schema = '" + copy + "'"))
                    .isEqualTo("2");

            assertThat(AdminSql.filesContaining(password, dir.resolve("state"), logs)).isEmpty();
        }
    }

}
