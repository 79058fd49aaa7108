package io.drover.connector.mariadb;

import io.drover.core.model.Secret;
import io.drover.core.spi.ConnectorContext;
import io.drover.core.testing.TestServices;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The MariaDB server the tests use ({@code root} without a password at 127.0.0.1:3306 unless
 * {@code DROVER_TEST_MARIADB_PORT} says otherwise) and a fixture on it: a database with tables,
 * a view, a procedure, a function, a trigger and an event, owned by a user with a random password
 * that the source uses over TCP.
 */
final class TestingMariaDb implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    static final int PORT = Integer.parseInt(TestServices.setting("DROVER_TEST_MARIADB_PORT", "3306"));
    static final Endpoint ROOT = new Endpoint(HOST, PORT, TestServices.setting("DROVER_TEST_MARIADB_USER", "root"),
            Optional.empty());
    static final int CUSTOMERS = 3000;
    static final int ORDERS = 250;
    /** Orders with an amount over 100 (amount = id * 1.5), which the view big_orders shows. */
    static final long BIG_ORDERS = ORDERS - 66;

    final String database;
    final String user;
    final String password;

    private TestingMariaDb(String database, String user, String password) {
        this.database = database;
        this.user = user;
        this.password = password;
    }

    static void require() {
        boolean available;
        try (Connection ignored = ROOT.connect()) {
            available = true;
        } catch (SQLException e) {
            available = false;
        }
        TestServices.requireService("MariaDB at " + ROOT, available,
                "apt-get install mariadb-server mariadb-client && service mariadb start "
                        + "(root must connect from 127.0.0.1 without a password)");
    }

    /** Creates a fresh database and user with the fixture content. */
    static TestingMariaDb create() throws SQLException {
        String suffix = Long.toString(System.nanoTime(), 36);
        String database = "drover_it_" + suffix;
        String user = "drover_it_" + suffix;
        String password = randomPassword();
        try (Connection root = ROOT.connect(); Statement statement = root.createStatement()) {
            statement.execute("create database " + Sql.id(database));
            try (PreparedStatement create = root.prepareStatement("create user ?@'127.0.0.1' identified by ?")) {
                create.setString(1, user);
                create.setString(2, password);
                create.execute();
            }
            String account = "'" + user + "'@'127.0.0.1'";
            statement.execute("grant all privileges on " + Sql.id(database) + ".* to " + account);
            // loadInto and scratch databases: drover_load_*, drover_secret_*, drover_verify_*
            statement.execute("grant all privileges on `drover\\_%`.* to " + account);
            statement.execute("grant select on mysql.proc to " + account);
        }
        TestingMariaDb fixture = new TestingMariaDb(database, user, password);
        fixture.populate();
        return fixture;
    }

    /** The fixture's objects, created by the fixture's user, so that it is their definer. */
    private void populate() throws SQLException {
        try (Connection connection = endpoint().connect(); Statement s = connection.createStatement()) {
            connection.setCatalog(database);
            s.execute("create table customers (id int primary key, name varchar(100) not null, note text, "
                    + "photo blob, created datetime(6) not null)");
            s.execute("create table orders (id int auto_increment primary key, customer_id int not null, "
                    + "amount decimal(10,2) not null, foreign key (customer_id) references customers(id))");
            s.execute("create table audit (id int auto_increment primary key, order_id int not null, "
                    + "logged_at datetime(6) not null)");
            s.execute("insert into customers (id, name, note, photo, created) select seq, concat('customer ', seq), "
                    + "repeat('note ''quoted'' \\\\ ', seq % 7), unhex(sha2(seq, 256)), '2024-01-01 00:00:00' "
                    + "from seq_1_to_" + CUSTOMERS);
            s.execute("create trigger orders_audit after insert on orders for each row "
                    + "insert into audit (order_id, logged_at) values (new.id, utc_timestamp(6))");
            s.execute("insert into orders (customer_id, amount) select seq, seq * 1.5 from seq_1_to_" + ORDERS);
            s.execute("create view big_orders as select * from orders where amount > 100");
            s.execute("create procedure add_order(in customer int, in amount decimal(10,2)) "
                    + "insert into orders (customer_id, amount) values (customer, amount)");
            s.execute("create function order_total(customer int) returns decimal(12,2) reads sql data "
                    + "return (select coalesce(sum(amount), 0) from orders where customer_id = customer)");
            s.execute("create event purge_audit on schedule every 1 day do delete from audit where logged_at < "
                    + "utc_timestamp() - interval 1 year");
        }
    }

    Endpoint endpoint() {
        return new Endpoint(HOST, PORT, user, Optional.of(Secret.of(password, "${env:TEST}")));
    }

    MariaDbSourceConfig config(boolean canary) {
        return new MariaDbSourceConfig("mariadb://" + user + "@" + HOST + ":" + PORT + "/" + database,
                Optional.of(Secret.of(password, "${env:TEST}")), canary, "drover_canary", Optional.empty(),
                Duration.ofMinutes(5));
    }

    MariaDbSource source(boolean canary) {
        return source(config(canary));
    }

    static MariaDbSource source(MariaDbSourceConfig config) {
        return (MariaDbSource) new MariaDbSourceFactory().create(config,
                new ConnectorContext("test", Path.of("/nonexistent"), Clock.systemUTC()));
    }

    static boolean databaseExists(String database) throws SQLException {
        try (Connection root = ROOT.connect();
             PreparedStatement query = root.prepareStatement(
                     "select count(*) from information_schema.schemata where schema_name = ?")) {
            query.setString(1, database);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1) > 0;
            }
        }
    }

    static void dropDatabase(String database) throws SQLException {
        try (Connection root = ROOT.connect(); Statement statement = root.createStatement()) {
            statement.execute("drop database if exists " + Sql.id(database));
        }
    }

    static long count(String sql) throws SQLException {
        try (Connection root = ROOT.connect(); Statement statement = root.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    /** Letters and digits with characters an option file must quote or escape. */
    private static String randomPassword() {
        String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            password.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return password.insert(6, "#\"' \\;=").toString();
    }

    @Override
    public void close() throws SQLException {
        try (Connection root = ROOT.connect(); Statement statement = root.createStatement()) {
            statement.execute("drop database if exists " + Sql.id(database));
            statement.execute("drop user if exists '" + user + "'@'127.0.0.1'");
        }
    }
}
