package io.tradergateway.fix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import quickfix.FileStoreFactory;
import quickfix.Message;
import quickfix.MessageStore;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.field.Password;
import quickfix.field.Username;
import quickfix.fix42.Logon;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stored copy of our Logon has its password masked, and still parses: a ResendRequest that covers it makes
 * QuickFIX/J read every stored message back (to gap-fill the admin ones), and one whose BodyLength and CheckSum no
 * longer match made it give up the whole resend ("Error handling ResendRequest: failed to parse message").
 */
class PasswordMaskingStoreTest {
    @TempDir
    Path dir;

    @Test
    void aMaskedLogonReadsBackAsAValidMessageWithoutThePassword() throws Exception {
        SessionID id = new SessionID("FIX.4.2", "GATEWAY", "BROKER42");
        SessionSettings settings = new SessionSettings();
        settings.setString(id, FileStoreFactory.SETTING_FILE_STORE_PATH, dir.toString());
        MessageStore store = new PasswordMaskingStoreFactory(new FileStoreFactory(settings)).create(id);
        Logon logon = new Logon(new quickfix.field.EncryptMethod(0), new quickfix.field.HeartBtInt(30));
        logon.getHeader().setInt(34, 1);
        logon.getHeader().setString(49, "GATEWAY");
        logon.getHeader().setString(56, "BROKER42");
        logon.getHeader().setString(52, "20261130-10:00:00.000");
        logon.setString(Username.FIELD, "trader7");   // FIX 4.2 has no 553/554 in its Logon: set as a broker wants them
        logon.setString(Password.FIELD, "s3cret!");
        store.set(1, logon.toString());

        List<String> back = new ArrayList<>();
        store.get(1, 1, back);
        assertThat(back).singleElement().asString().contains("554=****").doesNotContain("s3cret!");
        Message parsed = new Message(back.get(0), null, true);   // validates BodyLength and CheckSum
        assertThat(parsed.getString(553)).isEqualTo("trader7");
        assertThat(parsed.getString(554)).isEqualTo("****");
    }
}
