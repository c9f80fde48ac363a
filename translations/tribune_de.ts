<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Tribune::AddNodeWizard</name>
    <message>
        <source>A new node like an existing one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its files are the template&apos;s, with ports, hosts and its own local registry worked out for the new server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default: the template&apos;s name and a number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Like:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sub-domain:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where it runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new node&apos;s server, and the agent started there with no configuration yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an address, or a name the cluster&apos;s hosts resolve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No node of the cluster runs there yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already there:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Agent:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>On the server, run:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the cluster&apos;s key file there first, readable by its owner only (chmod 600); the key itself is never shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Free on that server when planned; change them if you must.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port &amp;offset:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Membership port:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot plan the node: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server %1; sub-domain %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server %1; sub-domain %2; its local registry gets the database %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the node&apos;s files will be, and what the whole cluster would say with it. Nothing is written before Push.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Push</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot push: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Push is disabled: the node would bring %n error(s) to the cluster. Go back and change what they name.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The cluster stays clean with the node in it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No error; read the warnings before you push.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Push and join</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pushing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HOST:PORT where the bare agent listens; none: export the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the node&apos;s files and plan.json as one archive, for a server reached by other means</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No bare agent was given: Export the plan for its server (tribunectl node apply --plan takes it there), or go back and give the agent&apos;s HOST:PORT to push.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no plan to export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plan archive (*.tar.gz)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exported to %1. On the node&apos;s server: tribunectl node apply --plan %1 --to HOST:PORT of its bare agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Export the Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>e.g. batch.esb.wso2.com</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Served &amp;as:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new sub-domain: the load balancer will serve it under these host names, with the node as its first member.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Membership &amp;host:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Well-known members:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>M&amp;gtHostName:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The template has: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(nothing)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As the template has it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The shared registry and user store, and the node&apos;s local registry: test that each database is there and takes the node&apos;s credentials.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pushed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not pushed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Roll Back %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rolled back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not rolled back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rolled back: the nodes the push changed have their files from before it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not every node could be rolled back; the list says which and why. Try again, or use the node&apos;s Configure… › Backups.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rolling back…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 keeps the files it took: stop its agent on %2, or push it corrected files with Configure….</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Sub-domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Each node&apos;s files, then each step of the new node&apos;s join, with its time since the push.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nam&amp;e:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new sub-domain, and its first node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a sub-domain the load balancer does not serve yet, e.g. batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hos&amp;tName:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot plan the node with these values: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot read the node&apos;s datasources: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Agent</name>
    <message>
        <source>%1: the node has no axis2.xml to read its membership from</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: localMemberHost %2 resolves nowhere%3; name its address there, or write the address itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>well-known member %1:%2 resolves nowhere%3; it is left to the system resolver</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::AgentRuntime</name>
    <message>
        <source>the node&apos;s files are not valid; fix them and start again:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>well-known member %1 answers again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot reach well-known member %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the node&apos;s new files do not say which member it is; it stays %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the node&apos;s files name another member, but it stays %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rejoined as %1 (was %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port %1 on %2 is in use here (%3); free it, or plan the node with another port</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::ConsoleService</name>
    <message>
        <source>a %1 key is read-only; use the console key to change a node&apos;s files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rolled back to backup %1; what it replaced is backup %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown request &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing changed: the files sent are the node&apos;s files already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pushed; the previous versions are kept as backup %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing changed: the node&apos;s files already equal backup %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::DatagramChannel</name>
    <message>
        <source>cannot bind UDP membership port %1:%2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::HAProxySupervisor</name>
    <message>
        <source>cannot run %1: %2; install the haproxy package</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy refuses %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket %1 did not answer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent (pid %1) still supervises HAProxy of %2 and would start it again: stop the agent first, then HAProxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 names HAProxy (pid %2) of another configuration (%3); it was not stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no HAProxy of %1 is running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy (pid %1) of %2 does not stop, even killed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped HAProxy (pid %1) of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an HAProxy already answers on %1, but %2 names no running master of %3: stop that HAProxy (or restore its pid file) and start again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot run %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy did not start (exit code %1): %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy started but %1 names no running master of %2; see %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy&apos;s master (pid %1) is gone</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::LoadBalancerDriver</name>
    <message>
        <source>adding %1 to %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removing %1 from %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading HAProxy&apos;s servers: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::LoadBalancerRole</name>
    <message>
        <source>cannot create %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loadbalancer.conf not applied, HAProxy keeps its configuration: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loadbalancer.conf applied by a seamless reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loadbalancer.conf names backends HAProxy does not have (%1); its runtime API cannot add them: reload HAProxy with the backends of %2 (its owner&apos;s job), then they are served</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loadbalancer.conf names new backends (%1) that need a reload of HAProxy by its owner; rendering them failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another load balancer&apos;s agent (pid %1) supervises the HAProxy of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>took over the running HAProxy (pid %1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::MembershipService</name>
    <message>
        <source>%1: cannot read the TLS key: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot listen on membership port %1:%2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>joined through %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>well-known member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>listed by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>announced by a peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left the cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rejoined as %1 after a configuration change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>replaced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no longer in this node&apos;s view after its configuration changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its domain is no longer served</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the load balancer&apos;s domains changed; join again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; listening on the old port %1 failed too (%2): the node takes no member connections until its agent is restarted</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::NodeHttpServer</name>
    <message>
        <source>Cannot listen on %1 port %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::ProvisioningService</name>
    <message>
        <source>provisioning needs the console key in the key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create %1/repository/conf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot listen on %1:%2 for provisioning: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this agent waits for its node&apos;s first configuration; push it (tribunectl node apply --to) and ask again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not provisioned, nothing was written: the files do not make a node that can start:
  %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>provisioned: the node starts from the %n file(s) pushed</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>provisioned already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this node has its configuration already; push through its own agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>provisioned; connect to the node&apos;s membership port</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::SwimCore</name>
    <message>
        <source>replaced by a restarted incarnation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>answered with incarnation %1; the suspicion was wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rejoined as %1 after a configuration change</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>no answer to a direct or %n indirect probe(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>suspected by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>no answer to probes; suspected for %1 ms by %n member(s) without refutation (memberDropTime %2 ms)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>announced by a peer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>declared failed by %1: no answer to its probes (memberDropTime %2 ms)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left the cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>heard from directly</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Cli</name>
    <message>
        <source>Checks a cluster&apos;s configuration files against each other.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print one JSON document.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A node&apos;s folder (CARBON_HOME or its repository/conf), a loadbalancer.conf, or a folder holding a whole cluster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--%1 and --key-file are required; see --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no usable key for role &quot;%1&quot; in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prints the membership view, then every change, one JSON object per line.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop after N events.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2; reconnecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prints the membership view once.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MEMBER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STATE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DOMAIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SUB-DOMAIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP/HTTPS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writes a fresh cluster key file (mode 0600) with member, console and viewer keys.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where to write the keys.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take the keys from this key file instead of new ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep only this role&apos;s key (e.g. a viewer&apos;s file).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keygen: name one FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keygen: unknown role &quot;%1&quot;; use member, console or viewer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reads or changes a node&apos;s configuration files through its agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>get: write the files under this folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>push: a repository/conf folder to send files from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BACKEND/SERVER</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CHECK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WEIGHT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SESS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RATE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BYTES IN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BYTES OUT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shows and changes the load balancer&apos;s servers through HAProxy&apos;s admin socket.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>status, drain, ready, maint or weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>status: print one JSON document.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lb: --socket PATH|HOST:PORT is required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>lb: use status, drain|ready|maint BACKEND/SERVER, or weight BACKEND/SERVER N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no such server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sends a steady stream of requests through the load balancer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The load balancer&apos;s HTTP listener.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A Host header to send (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests per second per host (default 3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A tenant domain to use for some requests (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop after S seconds (default: until interrupted).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>traffic: give --target HOST:PORT, at least one --host, and a --rate between 0 and 1000</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>traffic: %1 requests sent (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>history %1: unexpected argument &quot;%2&quot;; see --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>history %1: --%2 &quot;%3&quot; is not a time; use ISO 8601 such as 2026-11-23T10:00:00Z, or an age before now such as 90s, 15m, 2h or 1d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opens the history, creating its tables if need be, and tells where it is and what it holds.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>History: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events: %1, from %2 to %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events: none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Samples: %1 one-second rows and %2 one-minute rows, from %3 to %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Samples: none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prints the events in the history, newest first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only events whose member, reason or kind contains TEXT, ignoring case.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most N events, the newest (default %1; 0 for all).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>history events: --limit &quot;%1&quot; is not a number of events; use a whole number, 0 for all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No events.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TIME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>KIND</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DOMAIN/SUB-DOMAIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REASON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prints a member&apos;s traffic samples in time order; for several members, their sum (response time: the members&apos; average).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A member&apos;s id (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>history samples: name at least one --member ID; see --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No samples.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>REQUESTS/S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SESSIONS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BYTES IN/S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BYTES OUT/S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5XX/S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RESPONSE MS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>history: name an action first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>history: unknown action &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: tribunectl history ACTION [OPTIONS]

Actions:
  check     where the history is and what it holds
  events    the event log, newest first
  samples   a member&apos;s traffic samples, or several members&apos; sum

Run &apos;tribunectl history ACTION --help&apos; for an action&apos;s options.
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plans a new node like an existing one: free ports on its server, its own local registry, the diff and the whole cluster&apos;s findings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The action: plan.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cluster&apos;s folder (or node folders), unless --seed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The node to take as a template.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new node&apos;s host: an address or a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new node&apos;s folder name (default: NODE-2, ...).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Its sub-domain (default: the template&apos;s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Print the plan as one JSON document.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node: use plan [PATH...|--seed S --key-file K] --like NODE --host HOST; see --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node plan: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New node %1 like %2 on server %3:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  localMemberHost %1, membership port %2, port offset %3, sub-domain %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  local registry on a database of its own: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The plan brings no finding.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the plan brings:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not a node&apos;s folder (no repository/conf/axis2/axis2.xml or carbon.xml)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shows how two nodes&apos; configuration files differ, or a folder from a node&apos;s live files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Two node folders, unless --node and --from.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder to hold against the node&apos;s live files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>config diff: name two node folders, or --node HOST:PORT --key-file K --from DIR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>config diff: --node needs --from DIR and no other folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changes one node&apos;s files of the running cluster by typed edits, validated against the whole cluster before anything is written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FILE:KEY=VALUE, e.g. axis2.xml:localMemberPort=4010.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The node to change: its name or HOST:PORT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the plan; write nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>config set: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>config set: use --seed S --key-file K --node NODE FILE:KEY=VALUE...; see --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the change brings:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>config set: not written: the change would bring errors to the cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checks a node&apos;s databases: reachable, credentials, database, registry tables; creates missing ones when asked.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The action: check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The node&apos;s CARBON_HOME or repository/conf.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create missing databases and grant their users (needs --admin-user; the password is read from standard input).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database administrator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the node has no master-datasources.xml</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>db: cannot read the administrator&apos;s password from standard input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: created database %2 and granted %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --seed: the live node, by name or HOST:PORT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>db: use check --node-dir DIR, or check --seed S --key-file K --node NODE, [--create --admin-user USER]; see --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no such node in the running cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>db: the node could not be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pushes a plan (written by node plan --out) to the nodes it changes, with the whole running cluster validated first, and follows the node into the cluster: files written, joined, seen by every member, in HAProxy, UP.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The action: apply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new node&apos;s provisioning agent (tribune-agent --provision --listen HOST:PORT).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket (default: the one the load balancer&apos;s agent names).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait until HAProxy has sent the node a request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give up after this long (default: 60).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node apply: use --seed S --key-file K --plan DIR [--to HOST:PORT] [--lb-socket PATH] [--wait-request] [--timeout SECONDS]; see --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node apply: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node apply: --to: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node apply: nothing was pushed: the plan would bring errors to the cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Override a planned value: FILE:KEY=VALUE (see docs/TYPED-EDITS.md); repeatable.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node plan: --set: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The plan: a folder, or its .tar.gz.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write DIR/plan.json and DIR/NAME/repository/conf/ (or the same as an archive, when DIR ends in .tar.gz).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>get, push, backups, backup, rollback, diff or set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backup: the backup to read; rollback: the backup to restore.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>config: use get [--out DIR], push --from DIR [FILE...], backups, backup --number N [--out DIR], or rollback --number N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: absent in the backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not written: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writes a snapshot of the running cluster to one file: members, health, HAProxy&apos;s view, every node&apos;s files (passwords redacted), the findings, and the events and samples of a window from the history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket (PATH or HOST:PORT).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history to take events and samples from (default: the console&apos;s own; none: leave them out).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events and one-second samples over the first span, one-minute samples over the second (default 10m,24h).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the files&apos; passwords (the snapshot then says so wherever it is shown).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The snapshot file to write.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who takes it (default: the user&apos;s name).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>snapshot export: use --seed HOST:PORT --key-file K -o FILE; see --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>snapshot export: --window %1: use SPAN or SPAN,SPAN with s, m, h or d (e.g. 10m,24h)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>snapshot export: %1; nothing was written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>snapshot export: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not in the snapshot: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 members, %3 nodes&apos; files, %4 findings, %5 events, %6 samples%7</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; passwords included</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prints what a snapshot holds: when and who, the members, findings and events.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A .tribune-snapshot file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>As one JSON document (docs/SNAPSHOT.md).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>snapshot show: name one FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>snapshot show: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>THIS SNAPSHOT HOLDS PASSWORDS: share it as you would share them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshot of %1, taken %2 by %3 (events from %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>someone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events: %1, samples: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not in the snapshot: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The earlier snapshot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The later snapshot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>snapshot diff: name two snapshot files, the earlier first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>snapshot diff: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shows what changed between two snapshots: members added, removed or changed, each domain&apos;s traffic side by side, each node&apos;s files, findings new and resolved. Exit 1 when members, files or findings differ.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writes a snapshot&apos;s members, events and samples as CSV files (members.csv, events.csv, samples.csv) into a folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The folder to write the CSV files into.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>snapshot report: use --csv DIR FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>snapshot report: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>wrote %1 (%2 members, %3 events, %4 samples)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>snapshot: use export --seed S --key-file K -o FILE, show FILE [--json], diff A B, or report --csv DIR FILE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prints a node&apos;s health: uptime, CPU, memory, probe round trips, probes and gossip sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The agent&apos;s membership port, HOST:PORT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cluster key file (mode 0600).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>console or viewer (default: the strongest key in the file).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use TLS, trusting this certificate authority (PEM).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolve host names with this file (/etc/hosts format) alone, instead of the cluster folder&apos;s hosts file or the system resolver.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>name at least one PATH, or --seed HOST:PORT with --key-file for the running cluster; see --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history: sqlite:///path/history.sqlite, mysql://user:password@host:port/database or postgresql://...; default: the SQLite file the console uses, %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only from T on: ISO 8601 such as 2026-11-23T10:00:00Z (without Z or an offset: local time), or an age before now such as 15m, 2h or 1d.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only up to T, in the forms --from takes.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::ClusterConfig</name>
    <message>
        <source>no such file or folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>holds no node (a folder with repository/conf/axis2/axis2.xml or carbon.xml) and no loadbalancer.conf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>folder %1 is no node of this cluster; name the folders that hold the nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a node: neither it nor its repository/conf holds axis2/axis2.xml or carbon.xml</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::ClusterConnection</name>
    <message>
        <source>the load balancer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the membership port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer from %1 within %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the membership port %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the membership port %1 refused the console: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the load balancer %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::ClusterTreeModel</name>
    <message>
        <source>Load balancer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no domain)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Membership</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTPS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OK</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::ClusterWorkspace</name>
    <message>
        <source>cannot create a temporary folder for the cluster&apos;s files: %1; free space there (or set TMPDIR) and try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running cluster (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Correct the file and reload; until then the cluster shown is the one read before.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Config</name>
    <message>
        <source>group_mgt_port &apos;%1&apos; is not a port number; use a whole number from 1 to 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the setting &apos;%1&apos; is not ended by &apos;;&apos;; add &apos;;&apos; after its value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected &apos;;&apos; with no setting before it; remove it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a block needs a name before &apos;{&apos;; write it as &apos;name { ... }&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>blocks are nested more than %1 deep; close the blocks left open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected &apos;}&apos; with no block open; remove it or add the missing &apos;name {&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the block &apos;%1&apos; opened here is never closed: the &apos;#&apos; comment on line %2 runs to the end of that line and hides its &apos;}&apos;; put the comment on its own line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the block &apos;%1&apos; opened here is never closed; add &apos;}&apos; at its end</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>service &apos;%1&apos; has no domain &apos;%2&apos; with sub-domain &apos;%3&apos;; check the names against the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid name; use one word without spaces, commas, &apos;;&apos;, &apos;{&apos;, &apos;}&apos; or &apos;#&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the value &apos;%1&apos; contains a line break, &apos;;&apos;, &apos;{&apos;, &apos;}&apos; or &apos;#&apos;, which would change the file&apos;s structure; remove them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tenant_range &apos;%1&apos; is not valid; use &apos;*&apos; for all tenants, a tenant id such as 7, or a range such as 10-20 whose first id is not above its last</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1: %2; check that the file exists and that you may read it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2; check that the folder exists and that you may write to it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the sub-domain &apos;%1&apos; is the name of a nested block; rename that block instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no service &apos;%1&apos; in the file; add the service first or check its name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>service &apos;%1&apos; already serves domain &apos;%2&apos; with sub-domain &apos;%3&apos;; edit that domain instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>service &apos;%1&apos; sets a sub_domain for all its domains, so &apos;%2&apos; cannot have the default sub-domain; give it one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a block, not a setting with a value; edit the settings inside it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a setting, not a block; add to the block that holds it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the whole file cannot be removed; remove its blocks instead</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the setting to edit is no longer part of the file; look it up again after each edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is not valid %1; save it in that encoding or fix its declaration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>expected &lt;%1&gt; as the document element, found &lt;%2&gt;; is this the right file?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read the file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not in the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (a bare &apos;&amp;&apos; at &quot;%1&quot;: write it as &amp;amp;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is %1 MB, more than the %2 MB a configuration file may be; it is not one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unsupported encoding &quot;%1&quot; in the XML declaration; use UTF-8 or ISO-8859-1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an element with %1 attributes, more than the %2 a configuration file may have</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>elements nested more than %1 deep; a configuration file nests a dozen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>malformed XML: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file holds no XML element</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the edit would leave the file malformed (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;%1&gt; holds other elements; its text cannot be replaced</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the fragment holds no element</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::ConfigView</name>
    <message>
        <source>Filter nodes, domains, hosts…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a cluster folder to check its configuration.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 nodes · %2 · %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Configure…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::ConnectDialog</name>
    <message>
        <source>&amp;Forget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default: the first well-known member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>/path/to/admin.sock or 127.0.0.1:9999 (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mode 0600, as the agents have it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>only for TLS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default: SQLite in the data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to a Cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where to keep history: empty for a SQLite file in the data folder, sqlite:///path/history.sqlite, mysql://user:password@host:port/database, postgresql://user:password@host:port/database for a history the team shares, or none to keep no history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Strongest key in the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Console (may change members)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Viewer (read-only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove this saved connection from the list. Its key file stays where it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Profile:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Well-known members:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load balancer admin &amp;socket:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cluster &amp;key file:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the Cluster Key File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;TLS certificate authority:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose the Certificate Authority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;History:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::ConnectionProfiles</name>
    <message>
        <source>Choose the cluster key file: the file the agents use, made with &quot;tribunectl keygen&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key file %1 does not exist: choose the file the agents use, made with &quot;tribunectl keygen&quot;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a file: choose the cluster key file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key file %1 holds no %2 key: choose another role, or the strongest key in the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The certificate authority file %1 does not exist: choose the PEM file that signed the agents&apos; certificates, or leave the field empty to connect without TLS.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter a well-known member as HOST:PORT (e.g. 127.0.0.1:4000), or several separated by commas: the console learns the cluster&apos;s members from them. Or give only the load balancer&apos;s admin socket, to watch its servers alone.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::ConsolePreferences</name>
    <message>
        <source>&quot;none&quot; keeps no history: there is no database to check.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 minute</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>10 minutes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 seconds</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::DatasourcesPanel</name>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No tables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not granted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong user or password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Test Connections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel Test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;reate Database…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Datasource</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create the selected datasource&apos;s database and grant its user, with a database administrator&apos;s credentials that are not kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>U&amp;ser:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot create the database: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The node has no datasources.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test the connections before you push: the node needs its databases at start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to the database servers…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Test cancelled.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Changed; the node&apos;s own value is %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Every datasource is ready.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n datasource(s) ready.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Create the Database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;reate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A database administrator&apos;s account creates the database of %1 and grants %2 every privilege on it. These credentials are used once and not kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Creating the database of %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::DiffView</name>
    <message>
        <source>Before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Unified</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Side by Si&amp;de</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 bytes before, %3 after; too large to show here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only line ends differ (CRLF or LF, or the newline at the end).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::EventLogModel</name>
    <message>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domain / sub-domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Double-click to open this snapshot</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::FindingsModel</name>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Suggested fix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>load balancer</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::FindingsPanel</name>
    <message>
        <source>All findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Warnings only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open File at Line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fix…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2
%3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::HAProxy</name>
    <message>
        <source>render-haproxy: cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Renders a loadbalancer.conf as an HAProxy configuration and its hosts map.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the configuration to FILE instead of standard output.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Host -&gt; backend map file to write (default: hosts.map beside the output).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listen on ADDRESS (default: *).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM with certificate and key for HTTPS; without it, no HTTPS listener.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unix admin socket (default: admin.sock beside the output).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also an admin socket on a loopback ADDRESS:PORT, e.g. 127.0.0.1:9999.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Map file of &quot;&lt;tenant-domain&gt; &lt;id&gt;&quot; lines, needed for tenant ranges.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The ELB&apos;s loadbalancer.conf.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>render-haproxy: name one loadbalancer.conf; see --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>render-haproxy: ports must be numbers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>render-haproxy: the hosts map and the configuration must be different files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not exist yet; HAProxy will not start without it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>domain &apos;%1&apos; with sub-domain &apos;%2&apos; cannot name an HAProxy backend: use only letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos; and &apos;:&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backend &apos;%1&apos; is already defined by line %2: the same domain and sub-domain are served twice; merge the two blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host &apos;%1&apos; of domain &apos;%2&apos; cannot be a key of the hosts map: use only letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;, without a port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>domain &apos;%1&apos; (backend &apos;%2&apos;) has no hosts, so no request could reach it; add a hosts statement</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>domain &apos;%1&apos; serves tenants %2 only, which needs a tenants map (tenant domain -&gt; id); give one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host &apos;%1&apos; already routes to backend &apos;%2&apos; (line %3) for all tenants; one host cannot route to two backends, so give them different hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no certificate given: there is no HTTPS listener on port %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host &apos;%1&apos; is served only for some tenants; requests for it without such a tenant get 503</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tenants %1 of backend &apos;%2&apos; overlap tenants %3 of backend &apos;%4&apos; on a shared host; the earlier backend gets them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no domain has a tenant range; the tenants map is not used</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>there is no backend &apos;%1&apos;; its %n server(s) are left out</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 &apos;%2&apos; must be an absolute path of letters, digits and / . _ - + @ ~ =</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an admin socket path is required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>admin socket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>admin socket path &apos;%1&apos; is longer than 97 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>hosts map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tenants map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>admin TCP address &apos;%1&apos; must be a loopback address with a port, e.g. 127.0.0.1:9999 or [::1]:9999</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bind address &apos;%1&apos; must be * or an IP address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ports %1 and %2 must be two different ports from 1 to 65535</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ring name &apos;%1&apos; is not a valid HAProxy name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server &apos;%1&apos; at %2:%3 weight %4 of backend &apos;%5&apos; cannot be rendered: check its name (unique), address, port and weight (0-256)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the reply is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it begins &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a &quot;show stat&quot; reply (no &quot;# pxname,svname,...&quot; header): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a &quot;show servers state&quot; reply of format 1: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the &quot;show servers state&quot; reply has no &quot;# be_id be_name ...&quot; header: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an HAProxy backend name (letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos;, &apos;:&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an HAProxy server name (letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos;, &apos;:&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; port %2 is not a server address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a server keyword</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is neither a socket path nor HOST:PORT (e.g. /run/haproxy/admin.sock or 127.0.0.1:9999)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no answer within %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an empty command is not sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a command to HAProxy&apos;s admin socket must be one line: &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connection refused (is HAProxy running?)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no socket at that path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a &quot;show info&quot; reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy did not answer &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP port (default: the ELB&apos;s http transport in axis2/axis2.xml beside the file, else 8280).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTPS port (default: the ELB&apos;s https transport beside the file, else 8243).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the reply is larger than %1 MB; this is not HAProxy answering, or not the command asked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no complete answer within %1 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::HistoryRecorder</name>
    <message>
        <source>no history is kept: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::HistoryStore</name>
    <message>
        <source>Could not add an event to the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the event has no time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read events from the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not add samples to the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a sample of member &apos;%1&apos; has no time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read samples from the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not compact the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no time was given</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not create the history&apos;s tables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the driver gave no reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use sqlite:///path/history.sqlite, mysql://user:password@host:port/database, mariadb://... or postgresql://...; write characters such as @ : / in the user or password as %40 %3A %2F.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not create the folder %1 for the history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the SQLite database %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history URL %1 is not valid (%2). %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history URL %1 names no file. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt&apos;s MySQL/MariaDB driver (QMYSQL) is not installed, so the history at %1 cannot be opened. Install it with: sudo apt-get install libqt6sql6-mysql</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt&apos;s PostgreSQL driver (QPSQL) is not installed, so the history at %1 cannot be opened. Install it with: sudo apt-get install libqt6sql6-psql</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history location %1 is not a URL: it has no scheme such as sqlite: or mysql:. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history URL %1 has an unknown scheme &apos;%2&apos;. %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The history URL %1 needs a host and a database name. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the %1 database &apos;%2&apos; on %3 (user &apos;%4&apos;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not open %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not set up the history (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read &apos;%1&apos; of the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the table tribune_meta has no such row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not use the history</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it has schema version %1, written by a newer Tribune; this one knows versions up to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not list the history&apos;s tables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>There is no data folder to keep the history in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not read what the history holds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the connection to the database was lost (%1); check that the database server runs, then connect to the cluster again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not add events to the history</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::HostModel</name>
    <message>
        <source>cannot read the file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is %1 bytes, more than the %2 a hosts or servers file may have</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the file is larger than %1 bytes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IPv4 or IPv6 address; a hosts line is ADDRESS NAME...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the address %1 names no host; write the names after it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than %1 names on one line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a host name (letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;, at most %2 characters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is neither an address nor a host name; a servers line is ADDRESS FOLDER...</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server %1 names no node folder; write the folders on it after the address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>folder %1 is already placed on line %2; a node is on one server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than %1 folders on one line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a folder name: name the node&apos;s folder in the cluster folder, without a path</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::KeyRing</name>
    <message>
        <source>Cannot read the key file %1 (%2): check the path, and that you may read the file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The key file %1 can be read by other users, so its keys are no secret: run &quot;chmod 600 %1&quot; and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:%2: expected &quot;member|console|viewer = &lt;base64 key of at least 16 bytes&gt;&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the key file holds no key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write the key file: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::LiveCluster</name>
    <message>
        <source>no longer in the view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>load balancer: %1 → %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (was %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>load balancer: server %1 added to %2 (%3), no agent behind it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>load balancer: server %1 removed from %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::LiveClusterModel</name>
    <message>
        <source>Load balancer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Membership</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Req/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resp. ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1/%2 up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member · HTTP/HTTPS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removed from the load balancer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>frontend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no statistics: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::LiveConfigFetch</name>
    <message>
        <source>%1: refused: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not read, the member is %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the view holds %1 members, more than the %2 read at once</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: refused file name &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: more than %2 bytes of files in all; the rest is not read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a member calls itself &quot;%1&quot;, which cannot name a folder; not read</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::LivePages</name>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removed from the load balancer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 in %2, check %3, weight %4, since %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sessions, %2 req/s, in %3 kB/s, out %4 kB/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frontend %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Traffic in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backend</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load balancer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none: only the load balancer knows this server. Run tribune-agent on it to see its membership, health and configuration here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Membership</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 since %2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Host and ports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, membership %2, HTTP %3, HTTPS %4 (offset %5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incarnation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (started %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Health</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>up %1, CPU %2 %, RSS %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no report yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 alive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 suspect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 without an agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 serving</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 DOWN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 drained or in maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Frontends</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no servers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 req/s, %2 sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2 req/s, %3 sessions)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Busiest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no traffic now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent problems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none in the event log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Probe round trips</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::LiveSession</name>
    <message>
        <source>history: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the viewer key is read-only; connect with the console key to change members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no load balancer admin socket was given (--lb-socket)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the flight recorder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the cluster and the minutes before this %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no snapshot of this %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::LiveView</name>
    <message>
        <source>All events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Search events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put in maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 member(s)? They stop taking new traffic:
%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set Weight…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set Weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight, in percent of the initial weight:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a Node Like This One…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a Node to This Sub-domain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New Sub-domain…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configure…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter members, domains, states… (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The charts stack this sub-domain&apos;s members, one colour each.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The charts sum the members below this row.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect with a well-known member too: a new node is configured through the agents</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::LoadBalancerLink</name>
    <message>
        <source>drain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>maintenance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>setting %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight set to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>setting the weight failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not set to %1: the load balancer has no server for this member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight not set: the load balancer has no server for this member</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::MainWindow</name>
    <message>
        <source>Tribune</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Cluster Folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reload and Validate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Expand All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Cluster Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Open Cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — Tribune</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configuration files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Live cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Forget Departed Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>membership %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>load balancer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>health from %1 of %2 members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the R&amp;unning Cluster&apos;s Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read every member&apos;s configuration files from its agent and validate the whole running cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading every member&apos;s files from its agent…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some Members&apos; Files Were Not Read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Read the Running Cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add a Node…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Configure the Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not send its files; it may have left the cluster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>E&amp;xport Snapshot…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the running cluster to one file: members, health, HAProxy&apos;s view, every node&apos;s files (passwords redacted), findings, and the last events and samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tribune snapshot (*.tribune-snapshot)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Export a Snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taking a snapshot of the running cluster…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshot written: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No snapshot: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co&amp;mpare With Snapshot…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What changed since a snapshot: members, each domain&apos;s traffic, every node&apos;s files, findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open S&amp;napshot…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a *.tribune-snapshot file in a window of its own, read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare With Snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taking the running cluster&apos;s state to compare…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The running cluster could not be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Documentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About Tribune</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Tribune</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;Tribune %1&lt;/h3&gt;&lt;p&gt;A console for application-server clusters: the load balancer, the domains and their members, live; their configuration, validated and pushed; snapshots of it all.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Documentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The documentation is not installed here: it is the README.md and the docs folder of Tribune&apos;s sources.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No program here opens %1; open it with a text viewer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect with a well-known member too (Cluster › Connect…): this comes from the members&apos; agents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1… the connection shown stays until it answers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection shown before stays.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not connect: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tribune could not connect to the cluster: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the address and port in Cluster › Connect…, and that the agent or HAProxy runs there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Some configuration files could not be read. The findings list each where it breaks; fix them and reload. The cluster shown before stays open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2) failed: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot connect: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: connected, waiting for data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no answer for %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: confirmed %2 s ago</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::MetricSeries</name>
    <message numerus="yes">
        <source>%n other(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Requests per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Current sessions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes in per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Bytes out per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5xx responses per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response time (ms)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::NodeConfigStore</name>
    <message>
        <source>%1 is damaged or incomplete; the backup cannot be used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>simulated failure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not write the new version of %1: %2. Nothing was changed; check free space and permissions in %3 and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not save %1 in backup %2: %3. Nothing was changed; check free space and permissions in %4 and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not replace %1: %2. The files already replaced were put back, so nothing was changed; check permissions and free space in %3 and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not replace %1: %2, and putting back the files already replaced failed too: %3. The configuration is now partly changed; copy the files of backup %4 (%5) back into repository/conf by hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot prepare the backups and the audit log: %1. Nothing was changed; make %2 writable for the agent and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the files were replaced (backup %1 holds the previous versions), but %2. A crash now could lose the change; check the disk&apos;s health.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the files were replaced (backup %1 holds the previous versions), but the audit log could not be written: %2. Check free space and add the change to %3 by hand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot inspect %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot set the owner of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot set the permissions of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot flush %1 to disk: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot close %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot flush folder %1 to disk: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot rename %1 to %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot remove %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 exists but is not a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create folder %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot append to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot open %1 for appending: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the agent&apos;s folder: %1. Make the node&apos;s CARBON_HOME writable for the agent and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>another change to this node is in progress (lock file %1); wait for it to finish and try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the lock file %1; make %2 writable for the agent and try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1. Nothing was changed; give the agent read access to the node&apos;s configuration and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a node: neither it nor its repository/conf holds axis2/axis2.xml or carbon.xml. Point the agent at the node&apos;s CARBON_HOME.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the change names nobody as its actor; say who makes it, so the audit log can record it, and try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create a temporary folder to validate the change: %1. Nothing was changed; free space in the temporary folder (or set TMPDIR) and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot copy %1 to %2 to validate the change: %3. Nothing was changed; free space in the temporary folder (or set TMPDIR) and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the change was refused because the configuration would not parse; nothing was changed. Correct these and try again:
%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 (to fix: %3) [%4]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the change was refused because validating the node found %1; nothing was changed. Correct these and try again:
%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 and another file of the change are the same file, %2, through a symbolic link; change it under one name only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot roll back to backup %1: %2. Nothing was changed; choose another backup from the list.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>there is no folder %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>its copy of %1 no longer matches the sha256 in its manifest, so it was damaged</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the name is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it is an absolute path</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it contains a backslash</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it contains a control character</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it has an empty part (&quot;//&quot; or a trailing &quot;/&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>it contains &quot;.&quot; or &quot;..&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a file of repository/conf: %2. Name files by their path relative to repository/conf with &apos;/&apos; between folders, such as axis2/axis2.xml.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is a symbolic link to %3, which is not inside %4; the agent only changes files inside repository/conf. Replace the link with the file itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing that exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is not a folder, so the file cannot be placed there; choose another path or remove %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is not a regular file (it is a folder or a special file); the agent only reads and writes regular files. Remove it or choose another path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is both written and removed by the change; do one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot read backup %1: %2. List the node&apos;s backups (config backups) and choose one of them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not write the change&apos;s journal %1: %2. Nothing was changed; check free space and permissions there and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>could not record the folders the change creates in %1: %2. Nothing was changed; check free space and permissions there and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>an interrupted change (backup %1) could not be completed: %2; copy the files of %3 back into repository/conf by hand</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>completed the change of backup %1 that a stop interrupted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>put back the files of backup %1: the change it began was interrupted</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>removed %n file(s) left by interrupted changes</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tribune::NodeDescription</name>
    <message>
        <source>load balancer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>worker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (localMemberHost %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (servers file, line %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 resolves nowhere</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unplaced: the files name no host and no servers file places it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sub-domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clustering</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Membership</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(any)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HTTP / HTTPS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port mappings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Well-known members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member drop time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening ports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Local registry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mount %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::NodeDetailsPanel</name>
    <message>
        <source>No cluster open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No problems found in this node&apos;s files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 nodes — %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::NodeEditDialog</name>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finding</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Who</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Roll Back to This Backup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Push</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configure %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Make the form&apos;s changes on these nodes of the sub-domain &amp;too:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What you write here is this node&apos;s file; the form&apos;s changes apply on top of it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A rollback is itself kept as a backup, so it can be undone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F&amp;iles</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Backups</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2) did not take the files: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Node Has These Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Roll Back to Backup %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1. Reading the running cluster&apos;s files again…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot roll back: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The change landed, but the running cluster&apos;s files could not be read again: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — member %2 · %3 / %4 · server %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not live</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The running cluster no longer has %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, line %2 (%3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a member of the running cluster: its files can be read and changes planned, not pushed. Connect, then Cluster › Check the Running Cluster&apos;s Files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot push: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing changed yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Push is disabled: the change would bring %n error(s) to the cluster.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>The cluster stays clean with this change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No error; read the warnings before you push.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Changes (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pushing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed: %1. The Backups tab rolls a node back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rolling %1 back to backup %2…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No backups yet: the node&apos;s files were never changed through an agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — but the files read back from the cluster do not parse: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 It cannot be pushed: %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A push is still under way; wait for it to finish.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait: a push or rollback is under way; the dialog closes once it has ended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Discard the Changes?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The changes to %1 have not been pushed. Close and discard them?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — the form shows the node&apos;s files now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a member of the running cluster; it cannot be rolled back from here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Roll Back %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Put back the files backup %1 saved on %2, as the diff below the list shows? What they replace is kept as a new backup.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Planner</name>
    <message>
        <source>no node &quot;%1&quot; to take as a template; the cluster&apos;s nodes are: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>host &quot;%1&quot; resolves nowhere; name it in the hosts file, or give its address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a node named &quot;%1&quot; exists already; give the new one another name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no port offset below %1 is free on server %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no node &quot;%1&quot;; the cluster&apos;s nodes are: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a valid value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the node has no such file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not FILE:KEY=VALUE, e.g. axis2.xml:localMemberPort=4010</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a file typed edits know; they are: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 has no key &quot;%2&quot; for typed edits; the keys are: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>database %1 on %2:%3 as %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a MySQL or MariaDB URL; not checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Qt&apos;s MySQL driver (QMYSQL) is not installed: install libqt6sql6-mysql</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the server refuses the user name or password; correct them in master-datasources.xml, or grant the user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the user may not use this database, or it does not exist; create it and grant the user (db check --create)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: there is no such database; create it (db check --create) and run dbscripts/mysql.sql</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot connect: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>registry tables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user store tables</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: ready (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the database has no registry (REG_RESOURCE) or user store (UM_USER) tables; run dbscripts/mysql.sql in it, or start the first node with -Dsetup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not a MySQL or MariaDB URL naming a database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1:%2 as %3: %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>creating database %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>granting %1 on %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is not a configuration file Tribune knows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: more than %2 MiB of files; not a plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the plan changes no node (no NODE/repository/conf below it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write the archive: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot read the archive: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2: cannot read: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: a damaged archive: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>plan.json: not a plan: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>more than %1 nodes; split the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: no plan.json; a plan is what `tribunectl node plan --out` writes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: more than %2 entries; not a plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: everything is inside the folder %2/; archive what the plan folder holds (tar -czf PLAN.tar.gz -C %2 .), or let node plan --out write the archive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>plan.json: larger than %1 KiB; not a plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: more than %2 files; a node&apos;s configuration has a handful</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is in the plan but no live member is that node; start its agent, or take it out of the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the plan makes %1 new nodes; apply one at a time, each to its own provisioning agent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the plan makes a new node, which has no agent yet: start `tribune-agent --provision --carbon-home DIR --key-file K --listen HOST:PORT` on its server and give that HOST:PORT (--to)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::AddNodeFlow</name>
    <message>
        <source>%1: port offset %2, membership port %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no load balancer of the cluster serves the domain of %1; its loadbalancer.conf must be one of the cluster&apos;s nodes to be changed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::DatasourceChecker</name>
    <message>
        <source>database created and granted to %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::JoinWatcher</name>
    <message>
        <source>files written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>joined as the node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>seen by every member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server added in HAProxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>first health check UP</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>first request served through HAProxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>timed out after %1 s waiting for: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 refused the key: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is a member already; its identity did not change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no other member may see it</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>by %n member(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>no load balancer in the view serves %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent names no HAProxy admin socket this machine can reach; give --lb-socket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent did not tell its HAProxy socket (%1); give --lb-socket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--lb-socket: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>backend %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) so far</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is in the cluster and served through HAProxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is in the cluster; HAProxy not watched: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent cannot be asked for its HAProxy socket (%1); give --lb-socket</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::NodeEditFlow</name>
    <message>
        <source>the running cluster has no node &quot;%1&quot;; read its files again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2 is not a configuration file Tribune knows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not every node of the change is a member of the running cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>these are a folder&apos;s files, not the running cluster&apos;s: connect, then read the running cluster&apos;s files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 is not a member of the running cluster: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::NodeSettings</name>
    <message>
        <source>Membership</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clustering enabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sub-domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Membership host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Membership port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Well-known members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ports</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HostName</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MgtHostName</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Proxy port of the %1 connector on %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registry %1 (mounted at %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cache id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Database configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Datasource (JNDI name)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Datasource %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>URL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::PlanApplier</name>
    <message>
        <source>the plan changes nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>every node of the plan has its files; nothing to follow into the cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2) did not take the files: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the nodes before it have their new files; rolling back takes each back (`tribunectl config rollback`)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::PreferencesDialog</name>
    <message>
        <source>C&amp;heck</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Desktop &amp;notifications of failures</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default: SQLite in the data folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where to keep history: empty for a SQLite file in the data folder, sqlite:///path/history.sqlite, mysql://user:password@host:port/database, postgresql://user:password@host:port/database for a history the team shares, or none to keep no history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the database as the console would, and say where it is or what failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A connection&apos;s own history URL, when it names one, wins over this one. A password in the URL is kept in %1, never in the settings file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A member&apos;s failure always shows in the status bar; this also shows it as a desktop notification where the desktop has a tray.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;History database:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default &amp;chart window:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No history will be kept.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Take a &amp;snapshot when a member fails</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A snapshot of the cluster and the minutes before, taken by itself when a member fails; the event log says where it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> snapshots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keep the newest:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Protocol::AgentClient</name>
    <message>
        <source>not connected to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not answer within %2 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The member &quot;%1&quot; has no host: write it as HOST:PORT, e.g. %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The member &quot;%1&quot; has no port: write it as HOST:PORT, e.g. %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port of &quot;%1&quot; is not a number: write the member as HOST:PORT, e.g. %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The port of &quot;%1&quot; is out of range: use a port from 1 to 65535, e.g. %2.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Protocol::Connection</name>
    <message>
        <source>the peer closed the connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the peer does not read what it is sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a frame of %1 bytes exceeds the limit of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a frame is not a JSON object: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>protocol version %1 is not supported; this side speaks %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no %1 key in the key file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>authentication failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the server could not prove it holds the cluster key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected &quot;%1&quot; during the handshake</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the connection or its handshake timed out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the answer is larger than the %1-byte frame limit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>too many connections are proving their key at once; try again in a few seconds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a frame of %1 bytes before the handshake is done exceeds its limit of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the other member speaks membership protocol %1 and this one %2: members of different tribune-agent versions cannot form one cluster; upgrade every node&apos;s tribune-agent together (stop all, upgrade, start: docs/PROTOCOL.md, &quot;Upgrading&quot;)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Protocol::Datagram</name>
    <message numerus="yes">
        <source>a datagram of %n byte(s) is not one of the protocol&apos;s</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>not a membership datagram of protocol version 2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the datagram&apos;s proof does not match the member key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the datagram holds no JSON object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the datagram is stamped %1 ms away from this host&apos;s clock</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Report</name>
    <message>
        <source>fix: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 checked: %2
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 nodes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::SecretStore</name>
    <message>
        <source>the platform keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (readable by you only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the keychain refused to keep the password: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the keychain did not give the password: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the keychain did not answer within %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create the folder of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::SessionKeeper</name>
    <message>
        <source>the load balancer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the membership port %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot</name>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write beside it: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2; nothing was written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot rename %1 into place: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no such file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 bytes, more than the %2 a snapshot may have</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a Tribune snapshot (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not a Tribune snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>format %1, which this Tribune (format %2) cannot read; open it with a newer one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 members, more than the %2 a snapshot may have</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 events and samples, more than the %2 a snapshot may have</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the samples of %1 are damaged (%2 bytes for %3 samples)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::FlightRecorder</name>
    <message>
        <source>cannot create %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::Report</name>
    <message>
        <source>%1: cannot write: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot create the folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotCollector</name>
    <message>
        <source>asking %1 for the members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>asking %n member(s) for their health</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>health of %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading every live member&apos;s configuration files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>configuration files: cannot create a temporary folder: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>configuration files: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy: no admin socket was given (--lb-socket)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>asking HAProxy at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>events and samples: no history was asked for</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reading the history&apos;s events and samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>events and samples: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>events and samples: %1 holds none for this window</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotDiff</name>
    <message>
        <source>gone (was %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>state %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weight %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>incarnation %1 → %2 (it restarted or rejoined)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not served</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>traffic over the last minute of each (%1 → %2):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not sampled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 req/s, %2 5xx/s, %3 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new finding: %1 %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resolved: %1 %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotExport</name>
    <message>
        <source>%1; nothing was written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled; nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>writing %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1: %n member(s), %2 finding(s), %3 event(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1
Not in it: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotReplay</name>
    <message>
        <source>%1 at %2 (holds passwords)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not captured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the snapshot holds no configuration files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create a temporary folder: %1; free space there (or set TMPDIR) and try again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>snapshot of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>refused node name &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: refused file name &quot;%2&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::SnapshotCompareDialog</name>
    <message>
        <source>Compare Snapshots</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>From &lt;b&gt;%1&lt;/b&gt; to &lt;b&gt;%2&lt;/b&gt;: %n member(s) changed, </source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) differ, </source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new finding(s), </source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n resolved.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>added</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>changed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Requests/s before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>after</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>5xx/s before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Response ms before</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No samples of this domain in the minute before the snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Severity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Problem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>resolved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Files (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Compare</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::SnapshotPdfReport</name>
    <message>
        <source>per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snapshot of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This snapshot holds passwords: it was taken with secrets included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>By</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>events from %1, samples from %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Members</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not captured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Domain / sub-domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RSS MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No problems found in the cluster&apos;s files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Traffic by domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The newest %1 of %2 events; the CSV export has them all.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::SnapshotWindow</name>
    <message>
        <source>Snapshot: %1 — Tribune</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a snapshot is read-only: connect to the cluster to change it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cluster at the Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configuration Files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No configuration files: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>they could not be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Read-only snapshot of %1 · %n member(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (when taken)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Snapshot of %1&lt;/b&gt;, taken %2%3 — read-only; nothing here is live.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> by %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;This snapshot holds passwords&lt;/b&gt;: it was taken with secrets included. Share it with care.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not captured: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cluster as it was at that second, rebuilt from the snapshot&apos;s events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>◀ Event</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The event before the moment shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Event ▶</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The event after the moment shown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>When Taken</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown at:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy&apos;s answers were not captured.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Snapshot…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Co&amp;mpare With…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Another snapshot against this one: members, each domain&apos;s traffic, every node&apos;s files, findings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>members.csv, events.csv and samples.csv in a folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export &amp;PDF Report…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The summary, the members, findings, each domain&apos;s charts and the events, as one PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare With Snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tribune snapshots (*.tribune-snapshot);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV Into</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing CSV files into %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Export CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export PDF Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the report to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Export the Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Snapshot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Open the Snapshot</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::TrafficCharts</name>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png);;PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused: the charts are not updating. Press Resume to follow the cluster again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::UrlPasswordField</name>
    <message>
        <source>password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The database password, kept out of the URL shown and of the settings file.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Validator</name>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (resolves nowhere)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unplaced)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown product</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Elastic Load Balancer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ESB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Application Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Governance Registry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API Manager</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>dbConfig &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the user store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message Broker</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Business Process Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Analytics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the user store is on %1, but the managers of %2 keep users in %3: users added on a manager cannot log in here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set &lt;Property name=&quot;dataSource&quot;&gt; to %1, this node&apos;s datasource for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add a datasource for %1 to master-datasources.xml and point &lt;Property name=&quot;dataSource&quot;&gt; at it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 uses datasource %2, which master-datasources.xml does not define</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add a datasource with &lt;jndiConfig&gt;&lt;name&gt;%1&lt;/name&gt; or correct the reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>correct the reference to %1, defined and used nowhere else, or add a datasource with &lt;jndiConfig&gt;&lt;name&gt;%2&lt;/name&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> or </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>datasource %1 (%2) belongs to %3, whose files Tribune does not read, so whether it is used cannot be told</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>nothing to do if %1 runs on this node; otherwise it may go</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>datasource %1 (%2) is referred to by no registry dbConfig and not by user-mgt.xml</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remove it, or refer to it where it is meant to be used</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the default sub-domain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sub-domain &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(the default sub-domain)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the load balancer serves no domain &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add a block for %1 under domains { } in loadbalancer.conf, or correct the domain parameter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the load balancer serves %1 of domain &quot;%2&quot; to no one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add the subDomain property with one of the sub-domains the load balancer serves for %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set the subDomain property to one the load balancer serves for %1 (%2), or serve sub-domain %3 in loadbalancer.conf</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>in service &quot;%1&quot;, tenant_range %2 of %3 overlaps tenant_range %4 of %5 (line %6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give each domain of a service its own tenants, e.g. 1-100 and 101-200</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WSDLEPRPrefix of transport %1 publishes port %2, but the load balancer %3 listens for %4 on %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set WSDLEPRPrefix to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the %1 connector&apos;s proxyPort %2 is no port the load balancer %3 listens on (%4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set proxyPort=&quot;%1&quot; on the connector of port %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the load balancer serves this manager&apos;s console as %1 (%2 line %3), but carbon.xml has no MgtHostName, so the console&apos;s links lead to %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the node itself</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add &lt;MgtHostName&gt;%1&lt;/MgtHostName&gt; after &lt;HostName&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the node has no axis2.xml, so it cannot join the cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>copy axis2.xml from another node and set its clustering section</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>clustering is disabled, so this node will not join the cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>axis2.xml has no &lt;clustering&gt; section</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set enable=&quot;true&quot; on &lt;clustering&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add a &lt;clustering&gt; section with membershipScheme wka</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>localMemberHost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>well-known member</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HostName</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MgtHostName</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the hosts file %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the system resolver</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 &quot;%2&quot; resolves nowhere: %3 does not name it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (written on %1 too)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add &quot;ADDRESS %1&quot; to %2, with the address of the server it names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add &quot;ADDRESS %1&quot; to the cluster&apos;s hosts file (or to the servers&apos; DNS), with the address of the server it names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the node names no localMemberHost and no servers file places it, so nothing tells which server it is on; port clashes with its neighbours go unseen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add &quot;ADDRESS %1&quot; to the cluster&apos;s servers file, or set localMemberHost</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>localMemberHost %1 is this server&apos;s loopback address, but the cluster spans %2 servers: members on the others would reach themselves, not this node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set localMemberHost to %1, this node&apos;s server in the servers file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>localMemberHost %1 is server %2, but the servers file (line %3) places the node on %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set localMemberHost to %1, or correct the servers file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>membership port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>group_mgt_port of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>well-known member %1:%2 is no node of this cluster; it is near %3&apos;s %4 %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set &lt;port&gt; to %1 if %2&apos;s %3 was meant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>well-known member %1:%2 (server %3) is no node of this cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list the localMemberHost and localMemberPort of a node of %1 (e.g. %2 at %3:%4) or of the load balancer, or remove the entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list the localMemberHost and localMemberPort of the load balancer or a manager node, or remove the entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this node clusters with %1 (%2), the load balancer %3 with %4 (%5): they cannot form one cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set class=&quot;%1&quot; on &lt;clustering&gt;, as the load balancer has it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this node clusters with %1, node %2 of the same domain with %3: they cannot form one cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set class=&quot;%1&quot; on &lt;clustering&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 (its %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set &lt;Ports&gt;&lt;Offset&gt; to %1 in carbon.xml, the nearest offset free on server %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set localMemberPort to %1 in axis2.xml, a port free on server %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>move the node to another server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>; and </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on server %1, node %2 listens on the same ports: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keep group_mgt_port %1 as it is; on %2, %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>keep this node as it is; on %1, %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>port.mapping.%1 sends traffic to port %2, which this node (offset %3) does not listen on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set port.mapping.%1 to %2, the node&apos;s %3 port after its offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>worker mounts the shared registry &quot;%1&quot; read-write; only the manager may write it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set &lt;readOnly&gt;true&lt;/readOnly&gt; in &lt;remoteInstance&gt; %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>manager mounts the shared registry &quot;%1&quot; read-only, so deployments cannot be stored</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set &lt;readOnly&gt;false&lt;/readOnly&gt; in &lt;remoteInstance&gt; %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no mount for %1, so this node keeps it in its local registry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add &lt;mount path=&quot;%1&quot; overwrite=&quot;true&quot;&gt; pointing at the shared remote instance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mount %1 names remote instance &quot;%2&quot;, which is not defined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>define a &lt;remoteInstance&gt; with &lt;id&gt;%1&lt;/id&gt; or correct &lt;instanceId&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>remote instance &quot;%1&quot; uses dbConfig &quot;%2&quot;, which is not defined</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>add &lt;dbConfig name=&quot;%1&quot;&gt; or correct &lt;dbConfig&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mount %1 reaches database %2, but the other members of %3 share %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>point the remote instance&apos;s dbConfig at the datasource for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the local registry database %1 is also node %2&apos;s local registry; local registries must not be shared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>create a database of its own for this node (e.g. %1) and point the datasource of currentDBConfig at it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cacheId &quot;%1&quot; is also used by node %2 for another database (%3 here, %4 there)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>make cacheId name this instance&apos;s database, as user@jdbc-url: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cacheId &quot;%1&quot; of remote instance %2 does not name the database it mounts, %3 as user %4 (datasource %5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set &lt;cacheId&gt; to %1, user@jdbc-url of that datasource</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cacheId &quot;%1&quot; names database %2, which node %3 caches as &quot;%4&quot;: the two keep separate caches of one registry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set &lt;cacheId&gt; to %1, as the other nodes of that database have it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the node has no registry.xml, so it shares no registry with the cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>copy registry.xml from another member of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 warnings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tribune</name>
    <message>
        <source>Console for application-server clusters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A cluster folder, node folders or a loadbalancer.conf to open; or *.tribune-snapshot files, each opened alone, offline.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A well-known member&apos;s membership port (repeatable).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The load balancer&apos;s admin socket; alone, without --seed, the console watches HAProxy by itself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cluster key file (mode 0600).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>console or viewer (default: the strongest key in the file).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use TLS, trusting this certificate authority.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a picture of the window to FILE after a few seconds, then quit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where to keep history: sqlite:///path/history.sqlite or mysql://user:password@host:port/database; default: a SQLite file in the data folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep no history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolve the cluster&apos;s host names with this file (/etc/hosts format) alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot Keep the Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The preferences are saved, but the history database&apos;s password could not be kept, so the next start will not have it: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tribune_agent</name>
    <message>
        <source>Membership, health and configuration service of one cluster node.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The node&apos;s CARBON_HOME (or its repository/conf).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cluster key file (mode 0600).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Membership port, when the product itself uses localMemberPort.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer HTTP on the node&apos;s HTTP port (9763 plus offset).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&quot;lb&quot; for the load balancer&apos;s agent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS certificate (PEM).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS private key (PEM).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS certificate authority (PEM).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loadbalancer.conf (default: the node&apos;s own).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attach to a running HAProxy&apos;s admin socket instead of starting one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The haproxy program (default: haproxy).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where HAProxy&apos;s configuration and socket go (default: CARBON_HOME/.tribune/haproxy).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolve the node&apos;s host names with this file (/etc/hosts format) alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The node&apos;s name for people (default: its CARBON_HOME folder&apos;s name).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The cluster&apos;s servers file: which server this node is on when its files name no localMemberHost.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address HAProxy listens on (default: *).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy&apos;s HTTP port (default: the ELB&apos;s http transport in axis2.xml, else 8280).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>HAProxy&apos;s HTTPS port (default: the ELB&apos;s https transport in axis2.xml, else 8243).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM for HAProxy&apos;s HTTPS listener.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Also open HAProxy&apos;s admin socket on this loopback HOST:PORT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tenant domain to tenant id map for tenant-aware routing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A bare node: wait on --listen for the node&apos;s first configuration, pushed by a console, then become that node.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --provision: where to wait.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>With --role lb: stop the HAProxy of the runtime folder (it outlives its agent on purpose) and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tribune-agent: --stop-haproxy needs --role lb and --runtime-dir DIR (or --carbon-home DIR); see --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tribune-agent: --carbon-home and --key-file are required; see --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tribune-agent: --provision needs --listen HOST:PORT; see --help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tribune-agent: --port needs a port number, not &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tribune-agent: driving HAProxy through %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tribune-agent: member %1 of %2%3 listening on %4%5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, HTTP on %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tribune-agent: %1 has a configuration already; starting as that node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tribune-agent: the node&apos;s files are written to %1, but it could not start from them; fix what is said above and start tribune-agent without --provision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tribune-agent: waiting on %1:%2 for this node&apos;s first configuration</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>tribunectl</name>
    <message>
        <source>tribunectl: unknown command &quot;%1&quot;

</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Usage: tribunectl COMMAND [OPTIONS]

Commands:
  validate [--json] PATH...   check a cluster&apos;s configuration files
  node plan --like NODE --host HOST [PATH...]   plan a new node like one
  db check --node-dir DIR [--create --admin-user USER]   check a node&apos;s databases
  watch --seed HOST:PORT      print the membership view, then every change
  members --seed HOST:PORT    print the membership view once
  health --node HOST:PORT     print a node&apos;s health
  config ACTION --node HOST:PORT  get, push, backups or rollback a node&apos;s files
  config diff DIR_A DIR_B | --node HOST:PORT --from DIR   compare nodes&apos; files
  config set --seed S --key-file K --node NODE FILE:KEY=VALUE...   typed edits, validated
  keygen FILE                 write a fresh cluster key file
  render-haproxy LBCONF [-o CFG]  render loadbalancer.conf as an HAProxy config
  traffic --target HOST:PORT --host NAME  send a steady stream of requests
  lb status|drain|ready|maint|weight --socket PATH  the load balancer&apos;s servers
  history check|events|samples [--history URL]  read the console&apos;s history
  snapshot export -o FILE | show FILE [--json] | diff A B | report --csv DIR FILE   snapshots

Run &apos;tribunectl COMMAND --help&apos; for a command&apos;s options.
</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
