package io.drover.connector.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.spi.LoadableSource;
import io.drover.core.spi.LoadableSourceContract;
import io.drover.core.spi.ValidationCheck;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The LoadableSource contract against the real MariaDB server, with temporary instances for scratch databases. */
class MariaDbSourceContractTest extends LoadableSourceContract {
    private static final Pattern TEMPORARY = Pattern.compile("^temporary .* on 127\\.0\\.0\\.1:(\\d+) in (.+), database (\\S+)$");
    private static final Pattern ON_SERVER = Pattern.compile("^database (\\S+) on ");

    private static TestingMariaDb fixture;

    @BeforeAll
    static void createFixture() throws Exception {
        TestingMariaDb.require();
        fixture = TestingMariaDb.create();
    }

    @AfterAll
    static void dropFixture() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Override
    protected LoadableSource source() {
        return fixture.source(true);
    }

    @Override
    protected List<ValidationCheck> checksThatHold() {
        return List.of(new ValidationCheck.MinRows("customers", TestingMariaDb.CUSTOMERS),
                new ValidationCheck.Sql("select count(*) from orders", Optional.of(Integer.toString(TestingMariaDb.ORDERS))),
                new ValidationCheck.Sql("select count(*) = " + TestingMariaDb.ORDERS + " from audit", Optional.empty()),
                new ValidationCheck.Sql("select count(*) from information_schema.routines where routine_schema = database()",
                        Optional.of("2")),
                // A view and a function run as their definer, who must exist where the dump is loaded.
                new ValidationCheck.Sql("select count(*) from big_orders", Optional.of(Long.toString(TestingMariaDb.BIG_ORDERS))),
                new ValidationCheck.Sql("select order_total(2)", Optional.of("3.00")));
    }

    @Override
    protected void assertRemoved(String describe) throws Exception {
        Matcher temporary = TEMPORARY.matcher(describe);
        if (temporary.matches()) {
            int port = Integer.parseInt(temporary.group(1));
            assertThat(Path.of(temporary.group(2))).doesNotExist();
            assertThatThrownBy(() -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                }
            }).as("port %d of the stopped instance", port).isInstanceOf(ConnectException.class);
            return;
        }
        Matcher onServer = ON_SERVER.matcher(describe);
        assertThat(onServer.find()).as(describe).isTrue();
        assertThat(TestingMariaDb.databaseExists(onServer.group(1))).as(onServer.group(1)).isFalse();
    }

    @Override
    protected boolean databaseExists(String database) throws Exception {
        return TestingMariaDb.databaseExists(database);
    }

    @Override
    protected void dropDatabase(String database) throws Exception {
        TestingMariaDb.dropDatabase(database);
    }

    @Override
    protected Optional<String> password() {
        return Optional.of(fixture.password);
    }
}
