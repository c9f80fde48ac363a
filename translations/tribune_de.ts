<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Tribune</name>
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
    <message>
        <source>not a node: neither it nor its repository/conf holds axis2/axis2.xml or carbon.xml</source>
        <translation type="unfinished"></translation>
    </message>
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
    <name>Tribune::Agent</name>
    <message>
        <source>%1: the node has no axis2.xml to read its membership from</source>
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
        <source>pushed %1 file(s); previous versions kept as backup %2</source>
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
        <source>replaced by a restarted incarnation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>heard from again; the suspicion was wrong</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>heard from directly</source>
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
        <source>no heartbeat for %1 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no heartbeat for more than memberDropTime (%1 ms)</source>
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
        <source>validate: name at least one PATH; see --help</source>
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
        <source>Prints a node&apos;s health: uptime, CPU, memory, heartbeat round trips.</source>
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
        <source>get, push, backups or rollback</source>
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
        <source>rollback: the backup to restore.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>config: use get [--out DIR], push --from DIR [FILE...], backups, or rollback --number N</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Cli::AgentOptions</name>
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
        <source>The agent&apos;s membership port, HOST:PORT.</source>
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
        <source>Host</source>
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
</context>
<context>
    <name>Tribune::Config::XmlDocument</name>
    <message>
        <source>cannot read the file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unsupported encoding &quot;%1&quot; in the XML declaration; use UTF-8 or ISO-8859-1</source>
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
</context>
<context>
    <name>Tribune::MainWindow</name>
    <message>
        <source>Tribune</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter nodes, domains, hosts…</source>
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
        <source>&amp;Collapse All</source>
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
        <source>Some configuration files could not be read. Fix them and reload; the cluster shown before stays open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — Tribune</source>
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
    <name>Tribune::Protocol::AgentClient</name>
    <message>
        <source>&quot;%1&quot; is not HOST:PORT (e.g. 127.0.0.1:4000)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not connected to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 did not answer within %2 s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tribune::Protocol::Connection</name>
    <message>
        <source>the handshake timed out</source>
        <translation type="unfinished"></translation>
    </message>
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
</context>
<context>
    <name>Tribune::Protocol::KeyRing</name>
    <message>
        <source>%1: cannot read the key file: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the key file must be readable by its owner only; run chmod 600 on it</source>
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
    <name>Tribune::Rules</name>
    <message>
        <source>dbConfig &quot;%1&quot;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the user store</source>
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
        <source>add a sub_domain %1 block for %2 in loadbalancer.conf, or set the subDomain property to one it serves</source>
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
        <source>group_mgt_port %1 of %2 is the membership port of node %3 on the load balancer&apos;s host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>choose a group_mgt_port no node on that host uses as localMemberPort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(default interface)</source>
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
        <source>membership port %1 on host %2 is already used by node %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>give each node on one host its own localMemberPort</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>well-known member %1:%2 is no node of this cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>list the localMemberHost and localMemberPort of the load balancer or a manager node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 (also %3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ports collide on host %1 with offset %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>set &lt;Ports&gt;&lt;Offset&gt; to %1, the lowest offset free on this host</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>move the node to another host</source>
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
        <source>create a database of its own for this node (e.g. REGISTRY_LOCAL%1) and point the datasource of currentDBConfig at it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cacheId &quot;%1&quot; is also used by node %2 for another database (%3 here, %4 there)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>make cacheId name this instance&apos;s database, as user@jdbc-url</source>
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
</context>
<context>
    <name>tribune</name>
    <message>
        <source>Console for application-server clusters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A cluster folder, node folders or a loadbalancer.conf to open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a picture of the window to FILE once the cluster is open, then quit.</source>
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
  watch --seed HOST:PORT      print the membership view, then every change
  members --seed HOST:PORT    print the membership view once
  health --node HOST:PORT     print a node&apos;s health
  config ACTION --node HOST:PORT  get, push, backups or rollback a node&apos;s files
  keygen FILE                 write a fresh cluster key file

Run &apos;tribunectl COMMAND --help&apos; for a command&apos;s options.
</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
