"""Services (docs/services.md) on the booted kernel: a process registers a
pseudo-device whose rings live in its memory, other sessions reach it with the
same five calls, it answers please identify, and it is gone when its process
ends: every call on it fails at once, nothing waits.

The key-value store .kv (h3sm/services.fs) is served by the owner at the
console (console=com1) and used by guests on COM2 and COM3; a guest registers a
service of its own with what it may grant. Run:
/usr/bin/python3 -m pytest -q tests/test_services.py
"""
import re
import time

from test_h3sm_kernel import Console, PROMPT

APPEND = "console=com1"


def guest(machine, n, user):
    return Console(machine.line(n), user=user, password="guest", ready=False)


def serve(owner):
    """The owner starts the store; the console stays in KV-SERVE."""
    owner.line.send("KV-SERVE\r")
    owner.line.expect_exact("kv: serving .kv (a key here stops it)\r\n", timeout=20)


def stop(owner):
    """A key on the service's terminal stops it; the console answers again."""
    owner.line.send("\r")
    owner.line.expect_exact("kv: stopped", timeout=20)
    owner.line.expect(PROMPT, timeout=20)


def together(consoles, text, timeout=60):
    """Type the same line on several consoles at once; each one's output."""
    for c in consoles:
        c.line.send(text + "\r")
    outs = []
    for c in consoles:
        c.line.expect_exact(text + " ", timeout=timeout)
        c.line.expect(PROMPT, timeout=timeout)
        outs.append(c.line.before.replace("\r\n", "\n"))
    return outs


IDENTIFY = re.compile(r"^1 \.kv service, user root, pid (\d+)$")
HAMMER = ': HAMMER 25 0 DO S" get color" KV-ASK SPACE LOOP ;'


def test_kv_store_across_sessions_and_its_end(boot):
    m = boot(append=APPEND)
    owner = Console(m.line(1))
    g1 = guest(m, 2, "guest1")
    g2 = guest(m, 3, "guest2")
    serve(owner)

    # the first guest stores and reads back; the table is on the RAM disk, which
    # only owners may use: guests reach it through the service alone
    assert g1.type("OPEN .ramdisk .") == "0 "
    assert g1.type("KV-PUT color blue") == "ok"
    assert g1.type("KV-GET color") == "blue"
    assert g1.type("KV-PUT motto   two words  ") == "ok"
    assert g1.type("KV-GET motto") == "two words"
    assert g1.type("KV-GET nothing") == "none"
    assert g1.type("KV-DEL motto") == "ok"
    assert g1.type("KV-GET motto") == "none"
    assert g1.type("KV-DEL motto") == "none"
    assert g1.type("KV-PUT averyveryverylongkey x") == "error: a key is 1 to 15 characters"
    assert g1.type("KV-PUT k " + "v" * 48) == "error: a value is up to 47 characters"
    assert g1.type('S" frobnicate x" KV-ASK') == "error: put, get, del or quit"
    assert g1.type("KV-PUT color green") == "ok"           # a put replaces
    # it answers please identify: its name, the owner's user and pid
    ident = IDENTIFY.match(g1.type('PLEASE" #.kv identify" . .REPLY'))
    assert ident, "identify"
    # its visible name is its name without the dot, and guests see it listed
    assert g1.type("OPEN kv OPEN .kv = OPEN kv 0<> AND .") == "-1 "
    assert "kv (service)" in g1.type('PLEASE" devices" DROP .REPLY')

    # another session sees what the first one stored; a guest may not stop it
    assert g2.type("KV-GET color") == "green"
    assert g2.type("KV-QUIT") == "error: not yours to stop"
    # fifteen entries fit in the block; the sixteenth does not
    for i in range(1, 15):
        assert g2.type("KV-PUT k%d %d" % (i, i)) == "ok"
    assert g2.type("KV-PUT k15 15") == "full"
    assert g1.type("KV-DEL k14") == "ok"
    assert g2.type("KV-PUT k15 15") == "ok"
    assert g1.type("KV-GET k15") == "15"

    # two clients at once: each gets its own answers (the tags route them)
    g1.type(HAMMER)
    g2.type(HAMMER)
    for out in together([g1, g2], "HAMMER"):
        assert out == "green " * 25

    # raw calls on the node, kept for after the end
    for g in (g1, g2):
        g.type('S" .kv" OPEN-NAMED CONSTANT KVID  128 RING RQ  128 RING RA')
        assert g.type("KVID 0<> .") == "-1 "
        assert g.type("RA RING-SYNC RA KVID RING-RECEIVE .") == "-1 "
    assert g1.type('S" @raw get color" RQ S>RING 10 RQ >RING RQ KVID 0 RING-SEND .') == "-1 "

    # the service ends: every call on it fails at once, and it cannot be opened
    stop(owner)
    for g in (g1, g2):
        start = time.time()
        assert g.type('S" get color" RQ S>RING 10 RQ >RING RQ KVID 100000 RING-SEND .') == "0 "
        assert g.type("RA KVID RING-RECEIVE .") == "0 "
        assert time.time() - start < 5                    # no waiting for the timeout
        assert g.type("OPEN .kv .") == "0 "
        assert g.type('S" .kv" OPEN-NAMED .') == "0 "
        assert g.type('PLEASE" #.kv identify" . .REPLY') == "0 error: no such device"
        assert g.type("KV-GET color") == "kv: no service"
    assert owner.type("1 2 + .") == "3 "

    # served again: the table was kept on the block device, and the node is the same
    serve(owner)
    assert g2.type("KV-GET color") == "green"
    assert g2.type('S" .kv" OPEN-NAMED KVID = .') == "-1 "
    assert g1.type("KV-GET k15") == "15"
    stop(owner)

    # a service dies with its owner: registered, not served, and the owner logs
    # out while a client waits for an answer; the client is told at once
    assert owner.type('KV-IN KV-OUT S" kv guest=send,receive" SERVICE 0<> .') == "-1 "
    assert g1.type("S\" .kv\" OPEN-NAMED KVID = .") == "-1 "
    # nobody answers: a client waits KV-WAIT ms, then says so
    start = time.time()
    assert g2.type("500 KV-WAIT ! KV-GET color") == "kv: no answer"
    assert 0.4 < time.time() - start < 5
    g1.line.send("KV-GET color\r")
    g1.line.expect_exact("KV-GET color ", timeout=10)
    time.sleep(0.5)                                        # g1 waits for an answer
    owner.line.send("bye\r")
    owner.line.expect_exact("login: ", timeout=20)
    g1.line.expect_exact("kv: service gone", timeout=4)   # KV-WAIT is 5 s
    g1.line.expect(PROMPT, timeout=10)
    assert g2.type("RQ KVID 1000 RING-SEND .") == "0 "
    assert g2.type("RA KVID RING-RECEIVE .") == "0 "
    assert g2.type("OPEN .kv .") == "0 "
    assert g2.type("KV-GET color") == "kv: no service"


def test_a_guest_service_its_grants_and_its_frames(boot):
    m = boot(append=APPEND)
    owner = Console(m.line(1))
    g1 = guest(m, 2, "guest1")
    g2 = guest(m, 3, "guest2")
    g3 = guest(m, 4, "guest3")
    g1.type("256 RING GIN 64 RING GOUT")

    def register(con, args):
        return con.type('%s SERVICE . .REPLY' % args)

    # a process grants only the channels its rings give, and a name only once
    assert register(g1, 'GIN GOUT S" echo guest=read"') == \
        "0 error: cannot grant it: a service has no read or write"
    assert register(g1, '0 GOUT S" echo guest=send"') == "0 error: cannot grant send: no inbox"
    assert register(g1, 'GIN 0 S" echo guest=receive"') == "0 error: cannot grant receive: no outbox"
    assert register(g1, 'GIN GOUT S" echo guest=everything"').startswith("0 error: guest= takes")
    for taken in ("clock", ".console", "COM2", "disk"):    # disk: names.conf's, no disk here
        assert register(g1, 'GIN GOUT S" %s"' % taken) == "0 error: name taken", taken
    assert register(g1, 'GIN GOUT S" a.b"') == "0 error: a name is 1 to 30 of a-z 0-9 - _"
    assert register(g1, 'GIN GOUT S" %s"' % ("x" * 31)) == "0 error: a name is 1 to 30 of a-z 0-9 - _"
    assert register(g1, '-16 GOUT S" echo"').startswith("0 error: bad inbox")
    assert register(g1, 'GIN UNUSED HERE + 8 - S" echo"').startswith("0 error: bad outbox")
    assert register(g1, 'GIN GIN S" echo"') == "0 error: the inbox and the outbox overlap"
    assert g1.type('S" register echo 1 2 3" ASK . .REPLY').startswith("0 error: register <name>")
    ok = re.compile(r"^(\d+) \1$")
    reply = register(g1, 'GIN GOUT S" echo guest=send,receive"')
    assert ok.match(reply), reply
    echo = ok.match(reply).group(1)
    assert register(g1, 'GIN GOUT S" Echo"') == "0 error: name taken"

    # another guest finds it, by its concealed canonical name, and sends
    assert g2.type('S" .echo" OPEN-NAMED CONSTANT E E .') == echo + " "
    assert re.match(r"^\.echo service, user guest1, pid \d+$",
                    g2.type('PLEASE" #.echo identify" DROP .REPLY'))
    g2.type("64 RING Q 64 RING A")
    assert g2.type('S" hello" Q S>RING Q E 0 RING-SEND .') == "-1 "
    assert g2.type('S" echo" UNSERVICE . .REPLY') == "0 error: not your service"

    # the frame in the inbox: SOH "<pid> <bytes> <owner|guest> <user>" STX, the bytes
    assert re.match(r"^\x01\d+ 5 guest guest2\x02hello$",
                    g1.type("GIN RING-DATA GIN RING-COUNT @ TYPE"))
    # the service reads frames: the bytes, and the kernel's word on who sent them
    g1.type(": DRAIN BEGIN GIN INBOX> DUP 0< 0= WHILE EMIT REPEAT DROP ;")
    assert g1.type("DRAIN SPACE SENDER-USER COUNT TYPE SPACE SENDER-OWNER ? GIN RING-LOST .") == \
        "hello guest2 0 0 "
    # a sender cannot forge a stamp: its SOH is payload, counted by the real stamp
    assert g2.type('1 Q >RING S" 1 1 owner root" Q S>RING 2 Q >RING S" x" Q S>RING '
                   "Q E 0 RING-SEND .") == "-1 "
    assert g1.type("DRAIN SPACE SENDER-USER COUNT TYPE SPACE SENDER-OWNER ?") == \
        "\x011 1 owner root\x02x guest2 0 "

    # a service cannot relay an owner's login (docs/services.md)
    assert g1.type('PLEASE" login root ha3sm" . .REPLY') == \
        "0 error: owners log in at the console only"

    # what the service puts in its outbox is what its clients receive
    g1.type('S" hi there" GOUT S>RING')
    g2.type(": SHOW BEGIN A RING> DUP 0< 0= WHILE EMIT REPEAT DROP ;")
    assert g2.type("A E RING-RECEIVE . SHOW") == "-1 hi there"

    # a full inbox: sends fail at once, nothing unread is overwritten
    g2.type(': FILL 0 BEGIN Q DUP RING-COUNT @ SWAP RING-MARK ! '
            'S" 0123456789012345678901234567890123456789" Q S>RING Q E 0 RING-SEND WHILE 1+ REPEAT ;')
    sent = int(g2.type("FILL ."))
    assert sent >= 1
    start = time.time()
    assert g2.type("Q E 10000 RING-SEND .") == "0 "
    assert time.time() - start < 5
    assert g1.type("DRAIN GIN RING-LOST .") == "0123456789" * 4 * sent + "0 "
    # once the service has read its inbox, a receive lets sends in again
    assert g2.type("A E RING-RECEIVE . Q E 0 RING-SEND .") == "-1 -1 "
    assert g1.type("DRAIN") == "0123456789" * 4

    # a service without guest channels is invisible to guests, not to owners
    g3.type("256 RING HIN 64 RING HOUT")
    hidden = g3.type('HIN HOUT S" hidden" SERVICE .')
    assert hidden != "0 "
    assert g2.type('S" .hidden" OPEN-NAMED .') == "0 "
    assert g2.type('PLEASE" #.hidden identify" . .REPLY') == "0 error: no such device"
    assert owner.type('S" .hidden" OPEN-NAMED .') == hidden
    assert re.match(r"^1 \.hidden service, user guest3, pid \d+$",
                    owner.type('PLEASE" #.hidden identify" . .REPLY'))
    # its own process may end it; then it is gone for everyone
    assert g3.type('S" hidden" UNSERVICE . .REPLY') == "1 ok"
    assert owner.type('S" .hidden" OPEN-NAMED .') == "0 "

    # the guest logs out: its service goes with it, and its clients fail at once
    g1.line.send("bye\r")
    g1.line.expect_exact("login: ", timeout=20)
    assert g2.type("Q E 1000 RING-SEND .") == "0 "
    assert g2.type("A E RING-RECEIVE .") == "0 "
    assert g2.type('S" .echo" OPEN-NAMED .') == "0 "
    assert owner.type('PLEASE" #.echo identify" . .REPLY') == "0 error: no such device"
    # the name is free again: another guest takes it, and gets the same node
    g3.type("256 RING EIN 64 RING EOUT")
    assert register(g3, 'EIN EOUT S" echo guest=send"') == "%s %s" % (echo, echo)
    assert g2.type('S" .echo" OPEN-NAMED .') == echo + " "
    assert g2.type("1 2 + .") == "3 "
    # a send's permission is checked once per process and node (the calls keep
    # the answer), and again when the node changes hands: here the same node
    # comes back without send for guests, and the cached yes must not hold
    assert g2.type('S" x" Q S>RING Q E 0 RING-SEND .') == "-1 "
    assert g3.type('S" echo" UNSERVICE . .REPLY') == "1 ok"
    assert register(g3, 'EIN EOUT S" echo guest=receive"') == "%s %s" % (echo, echo)
    assert g2.type('S" y" Q S>RING Q E 0 RING-SEND .') == "0 "
    assert re.match(r"^1 \.echo service, user guest3, pid \d+$",
                    g2.type('PLEASE" #.echo identify" . .REPLY'))


def test_please_to_a_service_is_answered_by_its_process(boot):
    """please #<service> ... goes to the process behind the service (please/
    forward.c): a frame in its inbox, the caller waiting for its answer."""
    m = boot(append=APPEND)
    owner = Console(m.line(1))
    g1 = guest(m, 2, "guest1")
    g2 = guest(m, 3, "guest2")
    serve(owner)

    # the store answers please messages as it answers its lines
    assert g1.type('PLEASE" #.kv put color red" . .REPLY') == "-1 ok"
    assert g1.type('PLEASE" #kv get color" . .REPLY') == "-1 red"
    assert g1.type("KV-GET color") == "red"                # the same table
    assert g2.type('PLEASE" #.kv get nothing" . .REPLY') == "-1 none"
    assert g2.type('PLEASE" #.kv frob" . .REPLY') == "0 error: put, get, del or quit"
    assert g2.type('PLEASE" #.kv quit" . .REPLY') == "0 error: not yours to stop"
    # what every node takes stays the kernel's
    assert re.match(r"^1 \.kv service, user root, pid \d+$",
                    g1.type('PLEASE" #.kv identify" . .REPLY'))
    # the answer is cut at the caller's buffer and marked
    assert g1.type('PLEASE" #kv put long abcdefghijklmnopqrstuvwxyz" .') == "-1 "
    assert g1.type('S" #kv get long" PB 8 + SWAP MOVE 12 PB CELL+ ! 12 PB ! '
                   "PB >P PLEASE PDROP . TRUNCATED? . REPLY TYPE") == "-1 -1 abcdefghijkl"
    # only the service asked answers, once, while its caller waits
    assert g1.type('PLEASE" reply 1 ok" . .REPLY') == \
        "0 error: no such request (answered, timed out, or not yours)"
    assert g1.type('PLEASE" reply x ok" . .REPLY') == "0 error: reply <tag> <text>"
    # a driver's node takes only what every node takes
    assert g1.type('PLEASE" #.clock frob" . .REPLY') == "0 error: .clock does not take this command"
    assert g1.type('PLEASE" #.com2 login guest2 guest" . .REPLY') == \
        "0 error: .com2 does not take this command"
    stop(owner)
    assert g1.type('PLEASE" #.kv get color" . .REPLY') == "0 error: no such device"

    # a guest's service: words and binary data arrive as the kernel read them
    g2.type("1024 RING PIN 64 RING POUT  PIN INBOX-RESET")
    assert g2.type('PIN POUT S" mine guest=send" SERVICE 0<> .') == "-1 "
    g2.type(": PUMP ( n --- ) 0 DO PIN INBOX> DROP REST LOOP ;")
    # nobody reads the inbox: the caller is told after 2 s
    start = time.time()
    assert g1.type('PLEASE" #.mine hello" . .REPLY') == "0 error: the service did not answer in time"
    assert 1.5 < time.time() - start < 10
    g2.type("PIN INBOX-RESET")
    # a service that does not take please messages says so (INBOX> answers for it)
    g2.line.send("3000 PUMP\r")
    assert g1.type('PLEASE" #.mine hello" . .REPLY') == "0 error: this service takes no please messages"
    g2.line.expect(PROMPT, timeout=30)
    # one that does gets the words, binary data as ETX 4 <count> <bytes>
    g2.type(": ECHO ( a u --- ) ANSWER-PLEASE ;  ' ECHO IS ON-PLEASE")
    g1.type(": BYTES. ( a u --- ) 0 ?DO DUP I + C@ . LOOP DROP ;")
    g2.line.send("3000 PUMP\r")
    assert g1.type('PLEASE" #.mine one two  three" . .REPLY') == "-1 one two three"
    assert g1.type('S" #.mine say " PAD SWAP MOVE 3 PAD 11 + C! 1 PAD 12 + C! 3 PAD 13 + C! '
                   'S" a b" PAD 14 + SWAP MOVE PAD 17 ASK . '
                   "REPLY BYTES.") == \
        "-1 115 97 121 32 3 4 0 0 0 3 97 32 98 "
    # an answer that starts with "error" is a failure
    assert g1.type('PLEASE" #.mine error: no" . .REPLY') == "0 error: no"
    g2.line.expect(PROMPT, timeout=30)
    # the service ends while a caller waits: the caller is told at once
    g1.line.send('PLEASE" #.mine hello" . .REPLY\r')
    time.sleep(0.5)
    g2.line.send("bye\r")
    g1.line.expect_exact("0 error: the service ended before it answered", timeout=5)
    g1.line.expect(PROMPT, timeout=10)
    assert owner.type("1 2 + .") == "3 "
