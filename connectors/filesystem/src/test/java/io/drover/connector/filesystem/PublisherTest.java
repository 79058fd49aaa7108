package io.drover.connector.filesystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.core.spi.ObjectAlreadyExistsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublisherTest {
    @TempDir
    Path dir;

    @Test
    void hardLinkPublishLeavesOnlyTheFinalName() throws IOException {
        Path temp = Files.writeString(dir.resolve(".tmp-1-obj"), "data");

        new Publisher(new Durability(true)).publish("obj", temp, dir.resolve("obj"));

        assertThat(dir.resolve("obj")).hasContent("data");
        assertThat(temp).doesNotExist();
    }

    @Test
    void hardLinkPublishNeverReplaces() throws IOException {
        Files.writeString(dir.resolve("obj"), "old");
        Path temp = Files.writeString(dir.resolve(".tmp-1-obj"), "new");

        assertThatThrownBy(() -> new Publisher(new Durability(true)).publish("obj", temp, dir.resolve("obj")))
                .isInstanceOf(ObjectAlreadyExistsException.class);
        assertThat(dir.resolve("obj")).hasContent("old");
    }

    @Test
    void renameFallbackPublishesAndRefusesExistingNames() throws IOException {
        Publisher publisher = Publisher.withoutHardLinks(new Durability(false));
        Path temp = Files.writeString(dir.resolve(".tmp-1-obj"), "data");

        publisher.publish("obj", temp, dir.resolve("obj"));

        assertThat(dir.resolve("obj")).hasContent("data");
        assertThat(temp).doesNotExist();
        Path second = Files.writeString(dir.resolve(".tmp-2-obj"), "other");
        assertThatThrownBy(() -> publisher.publish("obj", second, dir.resolve("obj")))
                .isInstanceOf(ObjectAlreadyExistsException.class);
        assertThat(dir.resolve("obj")).hasContent("data");
    }
}
