package io.drover.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

/** The in-memory fake passes the same contract as the real database connectors. */
class FakeDatabaseSourceTest extends LoadableSourceContract {
    private final FakeDatabaseSource.Server server = new FakeDatabaseSource.Server();

    FakeDatabaseSourceTest() {
        FakeDatabaseSource.FakeDatabase db = server.create("shop");
        db.tables.put("accounts", 100L);
        db.tables.put("orders", 7L);
    }

    @Override
    protected LoadableSource source() {
        return new FakeDatabaseSource(server, "shop", true);
    }

    @Override
    protected List<ValidationCheck> checksThatHold() {
        return List.of(new ValidationCheck.MinRows("accounts", 100),
                new ValidationCheck.Sql("select count(*) from orders", Optional.of("7")));
    }

    @Override
    protected void assertRemoved(String describe) {
        String name = describe.substring(describe.lastIndexOf(' ') + 1);
        assertThat(server.exists(name)).as(name).isFalse();
    }

    @Override
    protected boolean databaseExists(String database) {
        return server.exists(database);
    }

    @Override
    protected void dropDatabase(String database) {
        server.drop(database);
    }

    @Override
    protected Optional<String> password() {
        return Optional.empty();
    }
}
