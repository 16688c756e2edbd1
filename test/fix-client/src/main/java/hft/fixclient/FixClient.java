package hft.fixclient;

import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import quickfix.Application;
import quickfix.DefaultMessageFactory;
import quickfix.Field;
import quickfix.FieldMap;
import quickfix.FileLogFactory;
import quickfix.FileStoreFactory;
import quickfix.Message;
import quickfix.Session;
import quickfix.SessionID;
import quickfix.SessionSettings;
import quickfix.SocketInitiator;
import quickfix.field.ClOrdID;
import quickfix.field.MassStatusReqID;
import quickfix.field.MassStatusReqType;
import quickfix.field.MsgType;
import quickfix.field.OrdType;
import quickfix.field.OrderQty;
import quickfix.field.OrigClOrdID;
import quickfix.field.Password;
import quickfix.field.Price;
import quickfix.field.Side;
import quickfix.field.Symbol;
import quickfix.field.TimeInForce;
import quickfix.field.TransactTime;
import quickfix.field.Username;

/**
 * A QuickFIX/J initiator driven by the e2e tests: one JSON command per line on stdin, one JSON event
 * per line on stdout (logons, logouts, every message in and every session message out). QuickFIX/J
 * runs the session: sequence numbers in its file store, heartbeats, resend requests, gap fills,
 * reconnects, and it validates every message we send against its FIX 4.4 data dictionary.
 *
 *   java -cp ... hft.fixclient.FixClient session.cfg USER PASSWORD
 */
public final class FixClient implements Application {
    private final String user;
    private final String password;

    private FixClient(String user, String password) {
        this.user = user;
        this.password = password;
    }

    public static void main(String[] args) throws Exception {
        SessionSettings settings = new SessionSettings(new FileInputStream(args[0]));
        FixClient app = new FixClient(args[1], args[2]);
        SocketInitiator initiator = new SocketInitiator(app, new FileStoreFactory(settings), settings, new FileLogFactory(settings), new DefaultMessageFactory());
        initiator.start();
        SessionID sid = initiator.getSessions().get(0);
        emit("{\"event\":\"started\"}");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) continue;
            try {
                if (!app.command(sid, line)) break;
            } catch (Exception e) {
                emit("{\"event\":\"error\",\"command\":" + str(line) + ",\"message\":" + str(String.valueOf(e)) + "}");
            }
        }
        initiator.stop();
        emit("{\"event\":\"stopped\"}");
        System.exit(0);
    }

    private static String arg(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|(-?[0-9.]+))").matcher(json);
        if (!m.find()) return null;
        return m.group(2) != null ? m.group(2) : m.group(3);
    }

    private static TransactTime now() {
        return new TransactTime(LocalDateTime.now(ZoneOffset.UTC));
    }

    private boolean command(SessionID sid, String json) throws Exception {
        String cmd = arg(json, "cmd");
        Message msg;
        switch (cmd) {
            case "order": {
                char ordType = arg(json, "price") == null ? OrdType.MARKET : OrdType.LIMIT;
                quickfix.fix44.NewOrderSingle o = new quickfix.fix44.NewOrderSingle(new ClOrdID(arg(json, "clOrdId")), new Side(arg(json, "side").charAt(0)), now(), new OrdType(ordType));
                o.set(new Symbol(arg(json, "symbol")));
                o.set(new OrderQty(Double.parseDouble(arg(json, "qty"))));
                if (ordType == OrdType.LIMIT) o.set(new Price(Double.parseDouble(arg(json, "price"))));
                if (arg(json, "tif") != null) o.set(new TimeInForce(arg(json, "tif").charAt(0)));
                msg = o;
                break;
            }
            case "cancel": {
                quickfix.fix44.OrderCancelRequest c = new quickfix.fix44.OrderCancelRequest(new OrigClOrdID(arg(json, "orig")), new ClOrdID(arg(json, "clOrdId")), new Side(arg(json, "side").charAt(0)), now());
                c.set(new Symbol(arg(json, "symbol")));
                msg = c;
                break;
            }
            case "replace": {
                quickfix.fix44.OrderCancelReplaceRequest r = new quickfix.fix44.OrderCancelReplaceRequest(new OrigClOrdID(arg(json, "orig")), new ClOrdID(arg(json, "clOrdId")), new Side(arg(json, "side").charAt(0)), now(), new OrdType(OrdType.LIMIT));
                r.set(new Symbol(arg(json, "symbol")));
                r.set(new OrderQty(Double.parseDouble(arg(json, "qty"))));
                r.set(new Price(Double.parseDouble(arg(json, "price"))));
                msg = r;
                break;
            }
            case "status": {
                quickfix.fix44.OrderStatusRequest s = new quickfix.fix44.OrderStatusRequest(new ClOrdID(arg(json, "clOrdId")), new Side(arg(json, "side").charAt(0)));
                s.set(new Symbol(arg(json, "symbol")));
                msg = s;
                break;
            }
            case "massStatus":
                msg = new quickfix.fix44.OrderMassStatusRequest(new MassStatusReqID(arg(json, "id")), new MassStatusReqType(MassStatusReqType.STATUS_FOR_ALL_ORDERS));
                break;
            case "gap": {
                // Skip sequence numbers: the gateway sees a gap, asks for a resend, and gets a gap fill.
                Session s = Session.lookupSession(sid);
                int next = s.getStore().getNextSenderMsgSeqNum() + Integer.parseInt(arg(json, "skip"));
                s.setNextSenderMsgSeqNum(next);
                emit("{\"event\":\"gap\",\"nextSenderSeqNum\":" + next + "}");
                return true;
            }
            case "seqnums": {
                Session s = Session.lookupSession(sid);
                emit("{\"event\":\"seqnums\",\"nextSender\":" + s.getStore().getNextSenderMsgSeqNum() + ",\"nextTarget\":" + s.getStore().getNextTargetMsgSeqNum() + ",\"loggedOn\":" + s.isLoggedOn() + "}");
                return true;
            }
            case "logout":
                Session.lookupSession(sid).logout("test done");
                return true;
            case "quit":
                return false;
            default:
                throw new IllegalArgumentException("unknown command " + cmd);
        }
        boolean sent = Session.sendToTarget(msg, sid);
        emit("{\"event\":\"sent\",\"type\":" + str(msg.getHeader().getString(MsgType.FIELD)) + ",\"queued\":" + sent + "}");
        return true;
    }

    static synchronized void emit(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    private static void fields(StringBuilder b, FieldMap m, boolean[] first) {
        Iterator<Field<?>> it = m.iterator();
        while (it.hasNext()) {
            Field<?> f = it.next();
            if (!first[0]) b.append(',');
            first[0] = false;
            b.append('"').append(f.getTag()).append("\":").append(str(String.valueOf(f.getObject())));
        }
    }

    private static void message(String event, Message m) {
        StringBuilder b = new StringBuilder("{\"event\":").append(str(event)).append(",\"fields\":{");
        boolean[] first = {true};
        fields(b, m.getHeader(), first);
        fields(b, m, first);
        b.append("}}");
        emit(b.toString());
    }

    @Override
    public void onCreate(SessionID sessionId) {}

    @Override
    public void onLogon(SessionID sessionId) {
        emit("{\"event\":\"logon\"}");
    }

    @Override
    public void onLogout(SessionID sessionId) {
        emit("{\"event\":\"logout\"}");
    }

    @Override
    public void toAdmin(Message message, SessionID sessionId) {
        try {
            if (MsgType.LOGON.equals(message.getHeader().getString(MsgType.FIELD))) {
                message.setField(new Username(user));
                message.setField(new Password(password));
            }
        } catch (quickfix.FieldNotFound e) {
            throw new IllegalStateException(e);
        }
        message("adminOut", message);
    }

    @Override
    public void fromAdmin(Message message, SessionID sessionId) {
        message("adminIn", message);
    }

    @Override
    public void toApp(Message message, SessionID sessionId) {}

    @Override
    public void fromApp(Message message, SessionID sessionId) {
        message("app", message);
    }
}
