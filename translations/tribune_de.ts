<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>Tribune::AddNodeWizard</name>
    <message>
        <source>A new node like an existing one</source>
        <translation>Ein neuer Knoten wie ein bestehender</translation>
    </message>
    <message>
        <source>Its files are the template&apos;s, with ports, hosts and its own local registry worked out for the new server.</source>
        <translation>Seine Dateien sind die der Vorlage, mit Ports, Hosts und einer eigenen lokalen Registry, angepasst an den neuen Server.</translation>
    </message>
    <message>
        <source>default: the template&apos;s name and a number</source>
        <translation>Standard: der Name der Vorlage und eine Zahl</translation>
    </message>
    <message>
        <source>default: %1</source>
        <translation>Standard: %1</translation>
    </message>
    <message>
        <source>&amp;Like:</source>
        <translation>&amp;Vorlage:</translation>
    </message>
    <message>
        <source>&amp;Sub-domain:</source>
        <translation>&amp;Subdomain:</translation>
    </message>
    <message>
        <source>Where it runs</source>
        <translation>Wo er läuft</translation>
    </message>
    <message>
        <source>The new node&apos;s server, and the agent started there with no configuration yet.</source>
        <translation>Der Server des neuen Knotens und der dort gestartete Agent, noch ohne Konfiguration.</translation>
    </message>
    <message>
        <source>an address, or a name the cluster&apos;s hosts resolve</source>
        <translation>eine Adresse oder ein Name, den die Hosts des Clusters auflösen</translation>
    </message>
    <message>
        <source>No node of the cluster runs there yet.</source>
        <translation>Dort läuft noch kein Knoten des Clusters.</translation>
    </message>
    <message>
        <source>Already there:
%1</source>
        <translation>Dort bereits vorhanden:
%1</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Host:</translation>
    </message>
    <message>
        <source>&amp;Agent:</source>
        <translation>&amp;Agent:</translation>
    </message>
    <message>
        <source>On the server, run:</source>
        <translation>Führen Sie auf dem Server aus:</translation>
    </message>
    <message>
        <source>Copy the cluster&apos;s key file there first, readable by its owner only (chmod 600); the key itself is never shown.</source>
        <translation>Kopieren Sie zuerst die Schlüsseldatei des Clusters dorthin, nur für ihren Eigentümer lesbar (chmod 600); der Schlüssel selbst wird nie angezeigt.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Free on that server when planned; change them if you must.</source>
        <translation>Bei der Planung auf diesem Server frei; ändern Sie sie nur, wenn nötig.</translation>
    </message>
    <message>
        <source>Port &amp;offset:</source>
        <translation>Port-&amp;Offset:</translation>
    </message>
    <message>
        <source>&amp;Membership port:</source>
        <translation>&amp;Membership-Port:</translation>
    </message>
    <message>
        <source>Cannot plan the node: %1</source>
        <translation>Knoten kann nicht geplant werden: %1</translation>
    </message>
    <message>
        <source>Server %1; sub-domain %2.</source>
        <translation>Server %1; Subdomain %2.</translation>
    </message>
    <message>
        <source>Server %1; sub-domain %2; its local registry gets the database %3.</source>
        <translation>Server %1; Subdomain %2; seine lokale Registry erhält die Datenbank %3.</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>Überprüfung</translation>
    </message>
    <message>
        <source>What the node&apos;s files will be, and what the whole cluster would say with it. Nothing is written before Push.</source>
        <translation>Die künftigen Dateien des Knotens und die Befunde des gesamten Clusters mit ihm. Vor „Übertragen“ wird nichts geschrieben.</translation>
    </message>
    <message>
        <source>&amp;Push</source>
        <translation>Ü&amp;bertragen</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Befund</translation>
    </message>
    <message>
        <source>Cannot push: %1</source>
        <translation>Übertragen nicht möglich: %1</translation>
    </message>
    <message numerus="yes">
        <source>Push is disabled: the node would bring %n error(s) to the cluster. Go back and change what they name.</source>
        <translation>
            <numerusform>Übertragen ist deaktiviert: Der Knoten würde %n Fehler in den Cluster bringen. Gehen Sie zurück und ändern Sie, was dieser Fehler nennt.</numerusform>
            <numerusform>Übertragen ist deaktiviert: Der Knoten würde %n Fehler in den Cluster bringen. Gehen Sie zurück und ändern Sie, was diese Fehler nennen.</numerusform>
        </translation>
    </message>
    <message>
        <source>The cluster stays clean with the node in it.</source>
        <translation>Mit dem Knoten bleibt der Cluster ohne Befund.</translation>
    </message>
    <message>
        <source>No error; read the warnings before you push.</source>
        <translation>Keine Fehler; lesen Sie vor dem Übertragen die Warnungen.</translation>
    </message>
    <message>
        <source>Push and join</source>
        <translation>Übertragen und beitreten</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Pushing…</source>
        <translation>Wird übertragen…</translation>
    </message>
    <message>
        <source>Add a Node</source>
        <translation>Knoten hinzufügen</translation>
    </message>
    <message>
        <source>HOST:PORT where the bare agent listens; none: export the plan</source>
        <translation>HOST:PORT, auf dem der unkonfigurierte Agent lauscht; leer: Plan exportieren</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren…</translation>
    </message>
    <message>
        <source>Write the node&apos;s files and plan.json as one archive, for a server reached by other means</source>
        <translation>Die Dateien des Knotens und plan.json als ein Archiv schreiben, für einen Server, der auf anderem Weg erreicht wird</translation>
    </message>
    <message>
        <source>No bare agent was given: Export the plan for its server (tribunectl node apply --plan takes it there), or go back and give the agent&apos;s HOST:PORT to push.</source>
        <translation>Kein unkonfigurierter Agent angegeben: Exportieren Sie den Plan für seinen Server (tribunectl node apply --plan bringt ihn dorthin), oder gehen Sie zurück und geben Sie HOST:PORT des Agenten an, um zu übertragen.</translation>
    </message>
    <message>
        <source>there is no plan to export</source>
        <translation>es gibt keinen Plan zum Exportieren</translation>
    </message>
    <message>
        <source>Export the Plan</source>
        <translation>Plan exportieren</translation>
    </message>
    <message>
        <source>Plan archive (*.tar.gz)</source>
        <translation>Plan-Archiv (*.tar.gz)</translation>
    </message>
    <message>
        <source>Exported to %1. On the node&apos;s server: tribunectl node apply --plan %1 --to HOST:PORT of its bare agent.</source>
        <translation>Nach %1 exportiert. Auf dem Server des Knotens: tribunectl node apply --plan %1 --to HOST:PORT seines unkonfigurierten Agenten.</translation>
    </message>
    <message>
        <source>Cannot Export the Plan</source>
        <translation>Plan kann nicht exportiert werden</translation>
    </message>
    <message>
        <source>e.g. batch.esb.wso2.com</source>
        <translation>z. B. batch.esb.wso2.com</translation>
    </message>
    <message>
        <source>Served &amp;as:</source>
        <translation>Erreichbar &amp;unter:</translation>
    </message>
    <message>
        <source>A new sub-domain: the load balancer will serve it under these host names, with the node as its first member.</source>
        <translation>Eine neue Subdomain: Der Load Balancer bedient sie unter diesen Hostnamen, mit dem Knoten als erstem Mitglied.</translation>
    </message>
    <message>
        <source>Membership &amp;host:</source>
        <translation>Membership-&amp;Host:</translation>
    </message>
    <message>
        <source>&amp;Well-known members:</source>
        <translation>Well-&amp;Known Members:</translation>
    </message>
    <message>
        <source>M&amp;gtHostName:</source>
        <translation>M&amp;gtHostName:</translation>
    </message>
    <message>
        <source>The template has: %1</source>
        <translation>Die Vorlage hat: %1</translation>
    </message>
    <message>
        <source>(nothing)</source>
        <translation>(nichts)</translation>
    </message>
    <message>
        <source>As the template has it</source>
        <translation>Wie in der Vorlage</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Datenbank</translation>
    </message>
    <message>
        <source>The shared registry and user store, and the node&apos;s local registry: test that each database is there and takes the node&apos;s credentials.</source>
        <translation>Gemeinsame Registry und Benutzerspeicher sowie die lokale Registry des Knotens: Testen Sie, ob jede Datenbank vorhanden ist und die Anmeldedaten des Knotens annimmt.</translation>
    </message>
    <message>
        <source>pushed</source>
        <translation>übertragen</translation>
    </message>
    <message>
        <source>not pushed</source>
        <translation>nicht übertragen</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>&amp;Roll Back %1</source>
        <translation>%1 zurück&amp;setzen</translation>
    </message>
    <message>
        <source>rolled back</source>
        <translation>zurückgesetzt</translation>
    </message>
    <message>
        <source>not rolled back</source>
        <translation>nicht zurückgesetzt</translation>
    </message>
    <message>
        <source>Rolled back: the nodes the push changed have their files from before it.</source>
        <translation>Zurückgesetzt: Die durch die Übertragung geänderten Knoten haben wieder ihre vorherigen Dateien.</translation>
    </message>
    <message>
        <source>Not every node could be rolled back; the list says which and why. Try again, or use the node&apos;s Configure… › Backups.</source>
        <translation>Nicht jeder Knoten konnte zurückgesetzt werden; die Liste zeigt, welche und warum. Versuchen Sie es erneut, oder verwenden Sie beim Knoten „Konfigurieren… › Sicherungen“.</translation>
    </message>
    <message>
        <source>Rolling back…</source>
        <translation>Wird zurückgesetzt…</translation>
    </message>
    <message>
        <source>%1 keeps the files it took: stop its agent on %2, or push it corrected files with Configure….</source>
        <translation>%1 behält die übernommenen Dateien: Beenden Sie seinen Agenten auf %2, oder übertragen Sie korrigierte Dateien mit „Konfigurieren…“.</translation>
    </message>
    <message>
        <source>New Sub-domain</source>
        <translation>Neue Subdomain</translation>
    </message>
    <message>
        <source>Each node&apos;s files, then each step of the new node&apos;s join, with its time since the push.</source>
        <translation>Die Dateien jedes Knotens, dann jeder Schritt des Beitritts des neuen Knotens, mit der Zeit seit der Übertragung.</translation>
    </message>
    <message>
        <source>Nam&amp;e:</source>
        <translation>Nam&amp;e:</translation>
    </message>
    <message>
        <source>A new sub-domain, and its first node</source>
        <translation>Eine neue Subdomain und ihr erster Knoten</translation>
    </message>
    <message>
        <source>a sub-domain the load balancer does not serve yet, e.g. batch</source>
        <translation>eine Subdomain, die der Load Balancer noch nicht bedient, z. B. batch</translation>
    </message>
    <message>
        <source>Hos&amp;tName:</source>
        <translation>Hos&amp;tName:</translation>
    </message>
    <message>
        <source>Cannot plan the node with these values: %1</source>
        <translation>Knoten kann mit diesen Werten nicht geplant werden: %1</translation>
    </message>
    <message>
        <source>Cannot read the node&apos;s datasources: %1</source>
        <translation>Datenquellen des Knotens können nicht gelesen werden: %1</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent</name>
    <message>
        <source>%1: the node has no axis2.xml to read its membership from</source>
        <translation>%1: Der Knoten hat keine axis2.xml, aus der seine Membership gelesen werden kann</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: Schreiben nicht möglich: %2</translation>
    </message>
    <message>
        <source>%1: localMemberHost %2 resolves nowhere%3; name its address there, or write the address itself</source>
        <translation>%1: localMemberHost %2 lässt sich nicht auflösen%3; tragen Sie dort seine Adresse ein oder schreiben Sie direkt die Adresse</translation>
    </message>
    <message>
        <source> in %1</source>
        <translation> (in %1)</translation>
    </message>
    <message>
        <source>well-known member %1:%2 resolves nowhere%3; it is left to the system resolver</source>
        <translation>Well-Known Member %1:%2 lässt sich nicht auflösen%3; er bleibt dem System-Resolver überlassen</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::AgentRuntime</name>
    <message>
        <source>the node&apos;s files are not valid; fix them and start again:</source>
        <translation>die Dateien des Knotens sind ungültig; korrigieren Sie sie und starten Sie erneut:</translation>
    </message>
    <message>
        <source>well-known member %1 answers again</source>
        <translation>Well-Known Member %1 antwortet wieder</translation>
    </message>
    <message>
        <source>cannot reach well-known member %1: %2</source>
        <translation>Well-Known Member %1 nicht erreichbar: %2</translation>
    </message>
    <message>
        <source>the node&apos;s new files do not say which member it is; it stays %1: %2</source>
        <translation>die neuen Dateien des Knotens sagen nicht, welches Mitglied er ist; er bleibt %1: %2</translation>
    </message>
    <message>
        <source>the node&apos;s files name another member, but it stays %1: %2</source>
        <translation>die Dateien des Knotens nennen ein anderes Mitglied, er bleibt aber %1: %2</translation>
    </message>
    <message>
        <source>rejoined as %1 (was %2)</source>
        <translation>als %1 erneut beigetreten (vorher %2)</translation>
    </message>
    <message>
        <source>port %1 on %2 is in use here (%3); free it, or plan the node with another port</source>
        <translation>Port %1 auf %2 ist hier belegt (%3); geben Sie ihn frei oder planen Sie den Knoten mit einem anderen Port</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::ConsoleService</name>
    <message>
        <source>a %1 key is read-only; use the console key to change a node&apos;s files</source>
        <translation>ein %1-Schlüssel erlaubt nur Lesen; verwenden Sie den Konsolenschlüssel, um die Dateien eines Knotens zu ändern</translation>
    </message>
    <message>
        <source>rolled back to backup %1; what it replaced is backup %2</source>
        <translation>auf Sicherung %1 zurückgesetzt; der ersetzte Stand ist Sicherung %2</translation>
    </message>
    <message>
        <source>unknown request &quot;%1&quot;</source>
        <translation>unbekannte Anfrage &quot;%1&quot;</translation>
    </message>
    <message>
        <source>nothing changed: the files sent are the node&apos;s files already</source>
        <translation>nichts geändert: Die gesendeten Dateien sind bereits die Dateien des Knotens</translation>
    </message>
    <message>
        <source>pushed; the previous versions are kept as backup %1</source>
        <translation>übertragen; die vorherigen Versionen sind als Sicherung %1 aufbewahrt</translation>
    </message>
    <message>
        <source>nothing changed: the node&apos;s files already equal backup %1</source>
        <translation>nichts geändert: Die Dateien des Knotens entsprechen bereits Sicherung %1</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::DatagramChannel</name>
    <message>
        <source>cannot bind UDP membership port %1:%2: %3</source>
        <translation>UDP-Membership-Port %1:%2 kann nicht gebunden werden: %3</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::HAProxySupervisor</name>
    <message>
        <source>cannot run %1: %2; install the haproxy package</source>
        <translation>%1 kann nicht ausgeführt werden: %2; installieren Sie das Paket haproxy</translation>
    </message>
    <message>
        <source>HAProxy refuses %1: %2</source>
        <translation>HAProxy lehnt %1 ab: %2</translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket %1 did not answer</source>
        <translation>der Admin-Socket %1 von HAProxy hat nicht geantwortet</translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent (pid %1) still supervises HAProxy of %2 and would start it again: stop the agent first, then HAProxy</source>
        <translation>der Agent des Load Balancers (PID %1) überwacht noch HAProxy von %2 und würde ihn neu starten: Beenden Sie zuerst den Agenten, dann HAProxy</translation>
    </message>
    <message>
        <source>%1 names HAProxy (pid %2) of another configuration (%3); it was not stopped</source>
        <translation>%1 nennt HAProxy (PID %2) einer anderen Konfiguration (%3); er wurde nicht beendet</translation>
    </message>
    <message>
        <source>no HAProxy of %1 is running</source>
        <translation>kein HAProxy von %1 läuft</translation>
    </message>
    <message>
        <source>HAProxy (pid %1) of %2 does not stop, even killed</source>
        <translation>HAProxy (PID %1) von %2 lässt sich nicht beenden, selbst mit kill nicht</translation>
    </message>
    <message>
        <source>stopped HAProxy (pid %1) of %2</source>
        <translation>HAProxy (PID %1) von %2 beendet</translation>
    </message>
    <message>
        <source>an HAProxy already answers on %1, but %2 names no running master of %3: stop that HAProxy (or restore its pid file) and start again</source>
        <translation>auf %1 antwortet bereits ein HAProxy, aber %2 nennt keinen laufenden Master von %3: Beenden Sie diesen HAProxy (oder stellen Sie seine PID-Datei wieder her) und starten Sie erneut</translation>
    </message>
    <message>
        <source>cannot run %1: %2</source>
        <translation>%1 kann nicht ausgeführt werden: %2</translation>
    </message>
    <message>
        <source>HAProxy did not start (exit code %1): %2</source>
        <translation>HAProxy ist nicht gestartet (Exit-Code %1): %2</translation>
    </message>
    <message>
        <source>HAProxy started but %1 names no running master of %2; see %3</source>
        <translation>HAProxy ist gestartet, aber %1 nennt keinen laufenden Master von %2; siehe %3</translation>
    </message>
    <message>
        <source>HAProxy&apos;s master (pid %1) is gone</source>
        <translation>der Master von HAProxy (PID %1) existiert nicht mehr</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::LoadBalancerDriver</name>
    <message>
        <source>adding %1 to %2: %3</source>
        <translation>Hinzufügen von %1 zu %2: %3</translation>
    </message>
    <message>
        <source>removing %1 from %2: %3</source>
        <translation>Entfernen von %1 aus %2: %3</translation>
    </message>
    <message>
        <source>reading HAProxy&apos;s servers: %1</source>
        <translation>Lesen der Server von HAProxy: %1</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::LoadBalancerRole</name>
    <message>
        <source>cannot create %1</source>
        <translation>%1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>loadbalancer.conf not applied, HAProxy keeps its configuration: %1</source>
        <translation>loadbalancer.conf nicht angewendet, HAProxy behält seine Konfiguration: %1</translation>
    </message>
    <message>
        <source>loadbalancer.conf applied by a seamless reload</source>
        <translation>loadbalancer.conf durch unterbrechungsfreies Neuladen angewendet</translation>
    </message>
    <message>
        <source>loadbalancer.conf names backends HAProxy does not have (%1); its runtime API cannot add them: reload HAProxy with the backends of %2 (its owner&apos;s job), then they are served</source>
        <translation>loadbalancer.conf nennt Backends, die HAProxy nicht hat (%1); seine Runtime-API kann sie nicht hinzufügen: Laden Sie HAProxy mit den Backends von %2 neu (Aufgabe seines Betreibers), dann werden sie bedient</translation>
    </message>
    <message>
        <source>loadbalancer.conf names new backends (%1) that need a reload of HAProxy by its owner; rendering them failed: %2</source>
        <translation>loadbalancer.conf nennt neue Backends (%1), für die der Betreiber HAProxy neu laden muss; ihre Erzeugung ist fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>another load balancer&apos;s agent (pid %1) supervises the HAProxy of %2</source>
        <translation>der Agent eines anderen Load Balancers (PID %1) überwacht den HAProxy von %2</translation>
    </message>
    <message>
        <source>took over the running HAProxy (pid %1)</source>
        <translation>laufenden HAProxy (PID %1) übernommen</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::MembershipService</name>
    <message>
        <source>%1: cannot read the TLS key: %2</source>
        <translation>%1: TLS-Schlüssel kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>cannot listen on membership port %1:%2: %3</source>
        <translation>Lauschen auf Membership-Port %1:%2 nicht möglich: %3</translation>
    </message>
    <message>
        <source>joined through %1</source>
        <translation>über %1 beigetreten</translation>
    </message>
    <message>
        <source>well-known member</source>
        <translation>Well-Known Member</translation>
    </message>
    <message>
        <source>listed by %1</source>
        <translation>aufgeführt von %1</translation>
    </message>
    <message>
        <source>announced by a peer</source>
        <translation>von einem Peer gemeldet</translation>
    </message>
    <message>
        <source>left the cluster</source>
        <translation>hat den Cluster verlassen</translation>
    </message>
    <message>
        <source>rejoined as %1 after a configuration change</source>
        <translation>nach einer Konfigurationsänderung als %1 erneut beigetreten</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>ersetzt</translation>
    </message>
    <message>
        <source>no longer in this node&apos;s view after its configuration changed</source>
        <translation>nach Änderung seiner Konfiguration nicht mehr in der Sicht dieses Knotens</translation>
    </message>
    <message>
        <source>its domain is no longer served</source>
        <translation>seine Domain wird nicht mehr bedient</translation>
    </message>
    <message>
        <source>the load balancer&apos;s domains changed; join again</source>
        <translation>die Domains des Load Balancers haben sich geändert; erneut beitreten</translation>
    </message>
    <message>
        <source>; listening on the old port %1 failed too (%2): the node takes no member connections until its agent is restarted</source>
        <translation>; Lauschen auf dem alten Port %1 ist ebenfalls fehlgeschlagen (%2): Der Knoten nimmt keine Mitgliederverbindungen an, bis sein Agent neu gestartet wird</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::NodeHttpServer</name>
    <message>
        <source>Cannot listen on %1 port %2: %3</source>
        <translation>Lauschen auf %1, Port %2 nicht möglich: %3</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::ProvisioningService</name>
    <message>
        <source>provisioning needs the console key in the key file</source>
        <translation>die Provisionierung braucht den Konsolenschlüssel in der Schlüsseldatei</translation>
    </message>
    <message>
        <source>cannot create %1/repository/conf</source>
        <translation>%1/repository/conf kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>cannot listen on %1:%2 for provisioning: %3</source>
        <translation>Lauschen auf %1:%2 für die Provisionierung nicht möglich: %3</translation>
    </message>
    <message>
        <source>this agent waits for its node&apos;s first configuration; push it (tribunectl node apply --to) and ask again</source>
        <translation>dieser Agent wartet auf die erste Konfiguration seines Knotens; übertragen Sie sie (tribunectl node apply --to) und fragen Sie erneut an</translation>
    </message>
    <message>
        <source>not provisioned, nothing was written: the files do not make a node that can start:
  %1</source>
        <translation>nicht provisioniert, nichts geschrieben: Mit diesen Dateien kann kein Knoten starten:
  %1</translation>
    </message>
    <message numerus="yes">
        <source>provisioned: the node starts from the %n file(s) pushed</source>
        <translation>
            <numerusform>provisioniert: Der Knoten startet mit der %n übertragenen Datei</numerusform>
            <numerusform>provisioniert: Der Knoten startet mit den %n übertragenen Dateien</numerusform>
        </translation>
    </message>
    <message>
        <source>provisioned already</source>
        <translation>bereits provisioniert</translation>
    </message>
    <message>
        <source>this node has its configuration already; push through its own agent</source>
        <translation>dieser Knoten hat seine Konfiguration bereits; übertragen Sie über seinen eigenen Agenten</translation>
    </message>
    <message>
        <source>provisioned; connect to the node&apos;s membership port</source>
        <translation>provisioniert; verbinden Sie sich mit dem Membership-Port des Knotens</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::SwimCore</name>
    <message>
        <source>replaced by a restarted incarnation</source>
        <translation>durch eine neu gestartete Inkarnation ersetzt</translation>
    </message>
    <message>
        <source>answered with incarnation %1; the suspicion was wrong</source>
        <translation>hat mit Inkarnation %1 geantwortet; der Verdacht war unbegründet</translation>
    </message>
    <message>
        <source>rejoined as %1 after a configuration change</source>
        <translation>nach einer Konfigurationsänderung als %1 erneut beigetreten</translation>
    </message>
    <message numerus="yes">
        <source>no answer to a direct or %n indirect probe(s)</source>
        <translation>
            <numerusform>keine Antwort auf eine direkte oder %n indirekte Probe</numerusform>
            <numerusform>keine Antwort auf eine direkte oder %n indirekte Probes</numerusform>
        </translation>
    </message>
    <message>
        <source>suspected by %1</source>
        <translation>von %1 verdächtigt</translation>
    </message>
    <message numerus="yes">
        <source>no answer to probes; suspected for %1 ms by %n member(s) without refutation (memberDropTime %2 ms)</source>
        <translation>
            <numerusform>keine Antwort auf Probes; seit %1 ms von %n Mitglied verdächtigt, ohne Widerlegung (memberDropTime %2 ms)</numerusform>
            <numerusform>keine Antwort auf Probes; seit %1 ms von %n Mitgliedern verdächtigt, ohne Widerlegung (memberDropTime %2 ms)</numerusform>
        </translation>
    </message>
    <message>
        <source>announced by a peer</source>
        <translation>von einem Peer gemeldet</translation>
    </message>
    <message>
        <source>declared failed by %1: no answer to its probes (memberDropTime %2 ms)</source>
        <translation>von %1 für ausgefallen erklärt: keine Antwort auf seine Probes (memberDropTime %2 ms)</translation>
    </message>
    <message>
        <source>left the cluster</source>
        <translation>hat den Cluster verlassen</translation>
    </message>
    <message>
        <source>heard from directly</source>
        <translation>direkte Nachricht erhalten</translation>
    </message>
</context>
<context>
    <name>Tribune::Cli</name>
    <message>
        <source>Checks a cluster&apos;s configuration files against each other.</source>
        <translation>Prüft die Konfigurationsdateien eines Clusters gegeneinander.</translation>
    </message>
    <message>
        <source>Print one JSON document.</source>
        <translation>Ein einzelnes JSON-Dokument ausgeben.</translation>
    </message>
    <message>
        <source>A node&apos;s folder (CARBON_HOME or its repository/conf), a loadbalancer.conf, or a folder holding a whole cluster.</source>
        <translation>Der Ordner eines Knotens (CARBON_HOME oder sein repository/conf), eine loadbalancer.conf oder ein Ordner mit einem ganzen Cluster.</translation>
    </message>
    <message>
        <source>--%1 and --key-file are required; see --help</source>
        <translation>--%1 und --key-file sind erforderlich; siehe --help</translation>
    </message>
    <message>
        <source>no usable key for role &quot;%1&quot; in %2</source>
        <translation>kein verwendbarer Schlüssel für die Rolle &quot;%1&quot; in %2</translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation>abgelehnt: %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Prints the membership view, then every change, one JSON object per line.</source>
        <translation>Gibt die Mitgliedersicht aus, danach jede Änderung, ein JSON-Objekt pro Zeile.</translation>
    </message>
    <message>
        <source>Stop after N events.</source>
        <translation>Nach N Ereignissen anhalten.</translation>
    </message>
    <message>
        <source>%1: %2; reconnecting</source>
        <translation>%1: %2; Verbindung wird neu aufgebaut</translation>
    </message>
    <message>
        <source>Prints the membership view once.</source>
        <translation>Gibt die Mitgliedersicht einmal aus.</translation>
    </message>
    <message>
        <source>MEMBER</source>
        <translation>MITGLIED</translation>
    </message>
    <message>
        <source>STATE</source>
        <translation>STATUS</translation>
    </message>
    <message>
        <source>DOMAIN</source>
        <translation>DOMAIN</translation>
    </message>
    <message>
        <source>SUB-DOMAIN</source>
        <translation>SUBDOMAIN</translation>
    </message>
    <message>
        <source>HTTP/HTTPS</source>
        <translation>HTTP/HTTPS</translation>
    </message>
    <message>
        <source>Writes a fresh cluster key file (mode 0600) with member, console and viewer keys.</source>
        <translation>Schreibt eine neue Cluster-Schlüsseldatei (Modus 0600) mit Mitglieds-, Konsolen- und Betrachterschlüssel.</translation>
    </message>
    <message>
        <source>Where to write the keys.</source>
        <translation>Wohin die Schlüssel geschrieben werden.</translation>
    </message>
    <message>
        <source>Take the keys from this key file instead of new ones.</source>
        <translation>Die Schlüssel aus dieser Schlüsseldatei übernehmen, statt neue zu erzeugen.</translation>
    </message>
    <message>
        <source>Keep only this role&apos;s key (e.g. a viewer&apos;s file).</source>
        <translation>Nur den Schlüssel dieser Rolle behalten (z. B. für die Datei eines Betrachters).</translation>
    </message>
    <message>
        <source>keygen: name one FILE</source>
        <translation>keygen: Geben Sie genau eine FILE an</translation>
    </message>
    <message>
        <source>keygen: unknown role &quot;%1&quot;; use member, console or viewer</source>
        <translation>keygen: unbekannte Rolle &quot;%1&quot;; verwenden Sie member, console oder viewer</translation>
    </message>
    <message>
        <source>Reads or changes a node&apos;s configuration files through its agent.</source>
        <translation>Liest oder ändert die Konfigurationsdateien eines Knotens über seinen Agenten.</translation>
    </message>
    <message>
        <source>get: write the files under this folder.</source>
        <translation>get: die Dateien in diesen Ordner schreiben.</translation>
    </message>
    <message>
        <source>push: a repository/conf folder to send files from.</source>
        <translation>push: ein repository/conf-Ordner, aus dem Dateien gesendet werden.</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1: Lesen nicht möglich: %2</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: Schreiben nicht möglich: %2</translation>
    </message>
    <message>
        <source>BACKEND/SERVER</source>
        <translation>BACKEND/SERVER</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>STATUS</translation>
    </message>
    <message>
        <source>CHECK</source>
        <translation>CHECK</translation>
    </message>
    <message>
        <source>WEIGHT</source>
        <translation>GEW.</translation>
    </message>
    <message>
        <source>SESS</source>
        <translation>SITZ.</translation>
    </message>
    <message>
        <source>RATE</source>
        <translation>RATE</translation>
    </message>
    <message>
        <source>BYTES IN</source>
        <translation>BYTES EIN</translation>
    </message>
    <message>
        <source>BYTES OUT</source>
        <translation>BYTES AUS</translation>
    </message>
    <message>
        <source>Shows and changes the load balancer&apos;s servers through HAProxy&apos;s admin socket.</source>
        <translation>Zeigt und ändert die Server des Load Balancers über den Admin-Socket von HAProxy.</translation>
    </message>
    <message>
        <source>status, drain, ready, maint or weight</source>
        <translation>status, drain, ready, maint oder weight</translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket.</source>
        <translation>Der Admin-Socket von HAProxy.</translation>
    </message>
    <message>
        <source>status: print one JSON document.</source>
        <translation>status: ein einzelnes JSON-Dokument ausgeben.</translation>
    </message>
    <message>
        <source>lb: --socket PATH|HOST:PORT is required</source>
        <translation>lb: --socket PATH|HOST:PORT ist erforderlich</translation>
    </message>
    <message>
        <source>lb: use status, drain|ready|maint BACKEND/SERVER, or weight BACKEND/SERVER N</source>
        <translation>lb: verwenden Sie status, drain|ready|maint BACKEND/SERVER oder weight BACKEND/SERVER N</translation>
    </message>
    <message>
        <source>%1: no such server</source>
        <translation>%1: Server nicht vorhanden</translation>
    </message>
    <message>
        <source>Sends a steady stream of requests through the load balancer.</source>
        <translation>Sendet einen gleichmäßigen Strom von Anfragen über den Load Balancer.</translation>
    </message>
    <message>
        <source>The load balancer&apos;s HTTP listener.</source>
        <translation>Der HTTP-Listener des Load Balancers.</translation>
    </message>
    <message>
        <source>A Host header to send (repeatable).</source>
        <translation>Ein zu sendender Host-Header (wiederholbar).</translation>
    </message>
    <message>
        <source>Requests per second per host (default 3).</source>
        <translation>Anfragen pro Sekunde und Host (Standard 3).</translation>
    </message>
    <message>
        <source>A tenant domain to use for some requests (repeatable).</source>
        <translation>Eine Tenant-Domain für einen Teil der Anfragen (wiederholbar).</translation>
    </message>
    <message>
        <source>Stop after S seconds (default: until interrupted).</source>
        <translation>Nach S Sekunden anhalten (Standard: bis zur Unterbrechung).</translation>
    </message>
    <message>
        <source>traffic: give --target HOST:PORT, at least one --host, and a --rate between 0 and 1000</source>
        <translation>traffic: Geben Sie --target HOST:PORT, mindestens ein --host und eine --rate zwischen 0 und 1000 an</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 fehlgeschlagen</translation>
    </message>
    <message>
        <source>traffic: %1 requests sent (%2)</source>
        <translation>traffic: %1 Anfragen gesendet (%2)</translation>
    </message>
    <message>
        <source>history %1: unexpected argument &quot;%2&quot;; see --help</source>
        <translation>history %1: unerwartetes Argument &quot;%2&quot;; siehe --help</translation>
    </message>
    <message>
        <source>history %1: --%2 &quot;%3&quot; is not a time; use ISO 8601 such as 2026-11-23T10:00:00Z, or an age before now such as 90s, 15m, 2h or 1d</source>
        <translation>history %1: --%2 &quot;%3&quot; ist keine Zeitangabe; verwenden Sie ISO 8601 wie 2026-11-23T10:00:00Z oder eine Zeitspanne vor jetzt wie 90s, 15m, 2h oder 1d</translation>
    </message>
    <message>
        <source>Opens the history, creating its tables if need be, and tells where it is and what it holds.</source>
        <translation>Öffnet den Verlauf, legt bei Bedarf seine Tabellen an und zeigt, wo er liegt und was er enthält.</translation>
    </message>
    <message>
        <source>History: %1</source>
        <translation>Verlauf: %1</translation>
    </message>
    <message>
        <source>Events: %1, from %2 to %3</source>
        <translation>Ereignisse: %1, von %2 bis %3</translation>
    </message>
    <message>
        <source>Events: none</source>
        <translation>Ereignisse: keine</translation>
    </message>
    <message>
        <source>Samples: %1 one-second rows and %2 one-minute rows, from %3 to %4</source>
        <translation>Messwerte: %1 Sekundenzeilen und %2 Minutenzeilen, von %3 bis %4</translation>
    </message>
    <message>
        <source>Samples: none</source>
        <translation>Messwerte: keine</translation>
    </message>
    <message>
        <source>Prints the events in the history, newest first.</source>
        <translation>Gibt die Ereignisse im Verlauf aus, neueste zuerst.</translation>
    </message>
    <message>
        <source>Only events whose member, reason or kind contains TEXT, ignoring case.</source>
        <translation>Nur Ereignisse, deren Mitglied, Grund oder Art TEXT enthält, ohne Beachtung der Groß-/Kleinschreibung.</translation>
    </message>
    <message>
        <source>At most N events, the newest (default %1; 0 for all).</source>
        <translation>Höchstens N Ereignisse, die neuesten (Standard %1; 0 für alle).</translation>
    </message>
    <message>
        <source>history events: --limit &quot;%1&quot; is not a number of events; use a whole number, 0 for all</source>
        <translation>history events: --limit &quot;%1&quot; ist keine Anzahl von Ereignissen; verwenden Sie eine ganze Zahl, 0 für alle</translation>
    </message>
    <message>
        <source>No events.</source>
        <translation>Keine Ereignisse.</translation>
    </message>
    <message>
        <source>TIME</source>
        <translation>ZEIT</translation>
    </message>
    <message>
        <source>KIND</source>
        <translation>ART</translation>
    </message>
    <message>
        <source>DOMAIN/SUB-DOMAIN</source>
        <translation>DOMAIN/SUBDOMAIN</translation>
    </message>
    <message>
        <source>REASON</source>
        <translation>GRUND</translation>
    </message>
    <message>
        <source>Prints a member&apos;s traffic samples in time order; for several members, their sum (response time: the members&apos; average).</source>
        <translation>Gibt die Datenverkehrs-Messwerte eines Mitglieds in zeitlicher Reihenfolge aus; bei mehreren Mitgliedern ihre Summe (Antwortzeit: der Durchschnitt der Mitglieder).</translation>
    </message>
    <message>
        <source>A member&apos;s id (repeatable).</source>
        <translation>Die ID eines Mitglieds (wiederholbar).</translation>
    </message>
    <message>
        <source>history samples: name at least one --member ID; see --help</source>
        <translation>history samples: Geben Sie mindestens ein --member ID an; siehe --help</translation>
    </message>
    <message>
        <source>No samples.</source>
        <translation>Keine Messwerte.</translation>
    </message>
    <message>
        <source>REQUESTS/S</source>
        <translation>ANFRAGEN/S</translation>
    </message>
    <message>
        <source>SESSIONS</source>
        <translation>SITZUNGEN</translation>
    </message>
    <message>
        <source>BYTES IN/S</source>
        <translation>BYTES EIN/S</translation>
    </message>
    <message>
        <source>BYTES OUT/S</source>
        <translation>BYTES AUS/S</translation>
    </message>
    <message>
        <source>5XX/S</source>
        <translation>5XX/S</translation>
    </message>
    <message>
        <source>RESPONSE MS</source>
        <translation>ANTWORT MS</translation>
    </message>
    <message>
        <source>history: name an action first</source>
        <translation>history: Geben Sie zuerst eine Aktion an</translation>
    </message>
    <message>
        <source>history: unknown action &quot;%1&quot;</source>
        <translation>history: unbekannte Aktion &quot;%1&quot;</translation>
    </message>
    <message>
        <source>Usage: tribunectl history ACTION [OPTIONS]

Actions:
  check     where the history is and what it holds
  events    the event log, newest first
  samples   a member&apos;s traffic samples, or several members&apos; sum

Run &apos;tribunectl history ACTION --help&apos; for an action&apos;s options.
</source>
        <translation>Aufruf: tribunectl history ACTION [OPTIONS]

Aktionen:
  check     wo der Verlauf liegt und was er enthält
  events    das Ereignisprotokoll, neueste zuerst
  samples   Datenverkehrs-Messwerte eines Mitglieds oder die Summe mehrerer

&apos;tribunectl history ACTION --help&apos; zeigt die Optionen einer Aktion.
</translation>
    </message>
    <message>
        <source>Plans a new node like an existing one: free ports on its server, its own local registry, the diff and the whole cluster&apos;s findings.</source>
        <translation>Plant einen neuen Knoten nach dem Vorbild eines bestehenden: freie Ports auf seinem Server, eine eigene lokale Registry, den Diff und die Befunde des gesamten Clusters.</translation>
    </message>
    <message>
        <source>The action: plan.</source>
        <translation>Die Aktion: plan.</translation>
    </message>
    <message>
        <source>The cluster&apos;s folder (or node folders), unless --seed.</source>
        <translation>Der Ordner des Clusters (oder Knotenordner), außer bei --seed.</translation>
    </message>
    <message>
        <source>The node to take as a template.</source>
        <translation>Der Knoten, der als Vorlage dient.</translation>
    </message>
    <message>
        <source>The new node&apos;s host: an address or a name.</source>
        <translation>Der Host des neuen Knotens: eine Adresse oder ein Name.</translation>
    </message>
    <message>
        <source>The new node&apos;s folder name (default: NODE-2, ...).</source>
        <translation>Der Ordnername des neuen Knotens (Standard: NODE-2, ...).</translation>
    </message>
    <message>
        <source>Its sub-domain (default: the template&apos;s).</source>
        <translation>Seine Subdomain (Standard: die der Vorlage).</translation>
    </message>
    <message>
        <source>Print the plan as one JSON document.</source>
        <translation>Den Plan als ein JSON-Dokument ausgeben.</translation>
    </message>
    <message>
        <source>node: use plan [PATH...|--seed S --key-file K] --like NODE --host HOST; see --help</source>
        <translation>node: verwenden Sie plan [PATH...|--seed S --key-file K] --like NODE --host HOST; siehe --help</translation>
    </message>
    <message>
        <source>node plan: %1</source>
        <translation>node plan: %1</translation>
    </message>
    <message>
        <source>New node %1 like %2 on server %3:</source>
        <translation>Neuer Knoten %1 nach Vorlage %2 auf Server %3:</translation>
    </message>
    <message>
        <source>  localMemberHost %1, membership port %2, port offset %3, sub-domain %4</source>
        <translation>  localMemberHost %1, Membership-Port %2, Port-Offset %3, Subdomain %4</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(Standard)</translation>
    </message>
    <message>
        <source>  local registry on a database of its own: %1</source>
        <translation>  lokale Registry in einer eigenen Datenbank: %1</translation>
    </message>
    <message>
        <source>The plan brings no finding.</source>
        <translation>Der Plan ergibt keinen Befund.</translation>
    </message>
    <message>
        <source>What the plan brings:</source>
        <translation>Was der Plan ergibt:</translation>
    </message>
    <message>
        <source>%1: not a node&apos;s folder (no repository/conf/axis2/axis2.xml or carbon.xml)</source>
        <translation>%1: kein Knotenordner (kein repository/conf/axis2/axis2.xml oder carbon.xml)</translation>
    </message>
    <message>
        <source>Shows how two nodes&apos; configuration files differ, or a folder from a node&apos;s live files.</source>
        <translation>Zeigt die Unterschiede zwischen den Konfigurationsdateien zweier Knoten oder zwischen einem Ordner und den Live-Dateien eines Knotens.</translation>
    </message>
    <message>
        <source>Two node folders, unless --node and --from.</source>
        <translation>Zwei Knotenordner, außer bei --node und --from.</translation>
    </message>
    <message>
        <source>The folder to hold against the node&apos;s live files.</source>
        <translation>Der Ordner, der mit den Live-Dateien des Knotens verglichen wird.</translation>
    </message>
    <message>
        <source>config diff: name two node folders, or --node HOST:PORT --key-file K --from DIR</source>
        <translation>config diff: Geben Sie zwei Knotenordner an oder --node HOST:PORT --key-file K --from DIR</translation>
    </message>
    <message>
        <source>config diff: --node needs --from DIR and no other folder</source>
        <translation>config diff: --node erfordert --from DIR und keinen weiteren Ordner</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>Changes one node&apos;s files of the running cluster by typed edits, validated against the whole cluster before anything is written.</source>
        <translation>Ändert die Dateien eines Knotens im laufenden Cluster durch typisierte Änderungen, die vor dem Schreiben gegen den gesamten Cluster geprüft werden.</translation>
    </message>
    <message>
        <source>FILE:KEY=VALUE, e.g. axis2.xml:localMemberPort=4010.</source>
        <translation>FILE:KEY=VALUE, z. B. axis2.xml:localMemberPort=4010.</translation>
    </message>
    <message>
        <source>The node to change: its name or HOST:PORT.</source>
        <translation>Der zu ändernde Knoten: sein Name oder HOST:PORT.</translation>
    </message>
    <message>
        <source>Show the plan; write nothing.</source>
        <translation>Den Plan zeigen; nichts schreiben.</translation>
    </message>
    <message>
        <source>config set: %1</source>
        <translation>config set: %1</translation>
    </message>
    <message>
        <source>config set: use --seed S --key-file K --node NODE FILE:KEY=VALUE...; see --help</source>
        <translation>config set: verwenden Sie --seed S --key-file K --node NODE FILE:KEY=VALUE...; siehe --help</translation>
    </message>
    <message>
        <source>What the change brings:</source>
        <translation>Was die Änderung ergibt:</translation>
    </message>
    <message>
        <source>config set: not written: the change would bring errors to the cluster</source>
        <translation>config set: nicht geschrieben: Die Änderung würde Fehler in den Cluster bringen</translation>
    </message>
    <message>
        <source>Nothing to change.</source>
        <translation>Nichts zu ändern.</translation>
    </message>
    <message>
        <source>Checks a node&apos;s databases: reachable, credentials, database, registry tables; creates missing ones when asked.</source>
        <translation>Prüft die Datenbanken eines Knotens: Erreichbarkeit, Anmeldedaten, Datenbank, Registry-Tabellen; legt fehlende auf Wunsch an.</translation>
    </message>
    <message>
        <source>The action: check.</source>
        <translation>Die Aktion: check.</translation>
    </message>
    <message>
        <source>The node&apos;s CARBON_HOME or repository/conf.</source>
        <translation>CARBON_HOME oder repository/conf des Knotens.</translation>
    </message>
    <message>
        <source>Create missing databases and grant their users (needs --admin-user; the password is read from standard input).</source>
        <translation>Fehlende Datenbanken anlegen und ihren Benutzern Rechte erteilen (erfordert --admin-user; das Passwort wird von der Standardeingabe gelesen).</translation>
    </message>
    <message>
        <source>The database administrator.</source>
        <translation>Der Datenbankadministrator.</translation>
    </message>
    <message>
        <source>%1: the node has no master-datasources.xml</source>
        <translation>%1: Der Knoten hat keine master-datasources.xml</translation>
    </message>
    <message>
        <source>db: cannot read the administrator&apos;s password from standard input</source>
        <translation>db: Das Administratorpasswort kann nicht von der Standardeingabe gelesen werden</translation>
    </message>
    <message>
        <source>%1: created database %2 and granted %3</source>
        <translation>%1: Datenbank %2 angelegt und Rechte für %3 erteilt</translation>
    </message>
    <message>
        <source>With --seed: the live node, by name or HOST:PORT.</source>
        <translation>Mit --seed: der laufende Knoten, per Name oder HOST:PORT.</translation>
    </message>
    <message>
        <source>db: use check --node-dir DIR, or check --seed S --key-file K --node NODE, [--create --admin-user USER]; see --help</source>
        <translation>db: verwenden Sie check --node-dir DIR oder check --seed S --key-file K --node NODE, [--create --admin-user USER]; siehe --help</translation>
    </message>
    <message>
        <source>no such node in the running cluster</source>
        <translation>kein solcher Knoten im laufenden Cluster</translation>
    </message>
    <message>
        <source>db: the node could not be read</source>
        <translation>db: Der Knoten konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>Pushes a plan (written by node plan --out) to the nodes it changes, with the whole running cluster validated first, and follows the node into the cluster: files written, joined, seen by every member, in HAProxy, UP.</source>
        <translation>Überträgt einen Plan (geschrieben von node plan --out) an die Knoten, die er ändert, nachdem der gesamte laufende Cluster geprüft wurde, und verfolgt den Knoten bis in den Cluster: Dateien geschrieben, beigetreten, von jedem Mitglied gesehen, in HAProxy, UP.</translation>
    </message>
    <message>
        <source>The action: apply.</source>
        <translation>Die Aktion: apply.</translation>
    </message>
    <message>
        <source>The new node&apos;s provisioning agent (tribune-agent --provision --listen HOST:PORT).</source>
        <translation>Der Provisionierungs-Agent des neuen Knotens (tribune-agent --provision --listen HOST:PORT).</translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket (default: the one the load balancer&apos;s agent names).</source>
        <translation>Der Admin-Socket von HAProxy (Standard: der, den der Agent des Load Balancers nennt).</translation>
    </message>
    <message>
        <source>Wait until HAProxy has sent the node a request.</source>
        <translation>Warten, bis HAProxy dem Knoten eine Anfrage gesendet hat.</translation>
    </message>
    <message>
        <source>Give up after this long (default: 60).</source>
        <translation>Nach so vielen Sekunden aufgeben (Standard: 60).</translation>
    </message>
    <message>
        <source>node apply: use --seed S --key-file K --plan DIR [--to HOST:PORT] [--lb-socket PATH] [--wait-request] [--timeout SECONDS]; see --help</source>
        <translation>node apply: verwenden Sie --seed S --key-file K --plan DIR [--to HOST:PORT] [--lb-socket PATH] [--wait-request] [--timeout SECONDS]; siehe --help</translation>
    </message>
    <message>
        <source>node apply: %1</source>
        <translation>node apply: %1</translation>
    </message>
    <message>
        <source>node apply: --to: %1</source>
        <translation>node apply: --to: %1</translation>
    </message>
    <message>
        <source>node apply: nothing was pushed: the plan would bring errors to the cluster</source>
        <translation>node apply: nichts übertragen: Der Plan würde Fehler in den Cluster bringen</translation>
    </message>
    <message>
        <source>Override a planned value: FILE:KEY=VALUE (see docs/TYPED-EDITS.md); repeatable.</source>
        <translation>Einen geplanten Wert überschreiben: FILE:KEY=VALUE (siehe docs/TYPED-EDITS.md); wiederholbar.</translation>
    </message>
    <message>
        <source>node plan: --set: %1</source>
        <translation>node plan: --set: %1</translation>
    </message>
    <message>
        <source>The plan: a folder, or its .tar.gz.</source>
        <translation>Der Plan: ein Ordner oder sein .tar.gz.</translation>
    </message>
    <message>
        <source>Write DIR/plan.json and DIR/NAME/repository/conf/ (or the same as an archive, when DIR ends in .tar.gz).</source>
        <translation>DIR/plan.json und DIR/NAME/repository/conf/ schreiben (oder dasselbe als Archiv, wenn DIR auf .tar.gz endet).</translation>
    </message>
    <message>
        <source>get, push, backups, backup, rollback, diff or set</source>
        <translation>get, push, backups, backup, rollback, diff oder set</translation>
    </message>
    <message>
        <source>backup: the backup to read; rollback: the backup to restore.</source>
        <translation>backup: die zu lesende Sicherung; rollback: die wiederherzustellende Sicherung.</translation>
    </message>
    <message>
        <source>config: use get [--out DIR], push --from DIR [FILE...], backups, backup --number N [--out DIR], or rollback --number N</source>
        <translation>config: verwenden Sie get [--out DIR], push --from DIR [FILE...], backups, backup --number N [--out DIR] oder rollback --number N</translation>
    </message>
    <message>
        <source>%1: absent in the backup</source>
        <translation>%1: fehlt in der Sicherung</translation>
    </message>
    <message>
        <source>%1: not written: %2</source>
        <translation>%1: nicht geschrieben: %2</translation>
    </message>
    <message>
        <source>Writes a snapshot of the running cluster to one file: members, health, HAProxy&apos;s view, every node&apos;s files (passwords redacted), the findings, and the events and samples of a window from the history.</source>
        <translation>Schreibt einen Snapshot des laufenden Clusters in eine Datei: Mitglieder, Zustand, die Sicht von HAProxy, die Dateien jedes Knotens (Passwörter geschwärzt), die Befunde sowie die Ereignisse und Messwerte eines Zeitraums aus dem Verlauf.</translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket (PATH or HOST:PORT).</source>
        <translation>Der Admin-Socket von HAProxy (PATH oder HOST:PORT).</translation>
    </message>
    <message>
        <source>The history to take events and samples from (default: the console&apos;s own; none: leave them out).</source>
        <translation>Der Verlauf, aus dem Ereignisse und Messwerte stammen (Standard: der eigene der Konsole; none: weglassen).</translation>
    </message>
    <message>
        <source>Events and one-second samples over the first span, one-minute samples over the second (default 10m,24h).</source>
        <translation>Ereignisse und Sekunden-Messwerte über die erste Zeitspanne, Minuten-Messwerte über die zweite (Standard 10m,24h).</translation>
    </message>
    <message>
        <source>Keep the files&apos; passwords (the snapshot then says so wherever it is shown).</source>
        <translation>Die Passwörter der Dateien behalten (der Snapshot weist dann überall, wo er angezeigt wird, darauf hin).</translation>
    </message>
    <message>
        <source>The snapshot file to write.</source>
        <translation>Die zu schreibende Snapshot-Datei.</translation>
    </message>
    <message>
        <source>Who takes it (default: the user&apos;s name).</source>
        <translation>Wer ihn erstellt (Standard: der Name des Benutzers).</translation>
    </message>
    <message>
        <source>snapshot export: use --seed HOST:PORT --key-file K -o FILE; see --help</source>
        <translation>snapshot export: verwenden Sie --seed HOST:PORT --key-file K -o FILE; siehe --help</translation>
    </message>
    <message>
        <source>snapshot export: --window %1: use SPAN or SPAN,SPAN with s, m, h or d (e.g. 10m,24h)</source>
        <translation>snapshot export: --window %1: verwenden Sie SPAN oder SPAN,SPAN mit s, m, h oder d (z. B. 10m,24h)</translation>
    </message>
    <message>
        <source>snapshot export: %1; nothing was written</source>
        <translation>snapshot export: %1; nichts geschrieben</translation>
    </message>
    <message>
        <source>snapshot export: %1</source>
        <translation>snapshot export: %1</translation>
    </message>
    <message>
        <source>not in the snapshot: %1</source>
        <translation>nicht im Snapshot: %1</translation>
    </message>
    <message>
        <source>%1: %2 members, %3 nodes&apos; files, %4 findings, %5 events, %6 samples%7</source>
        <translation>%1: %2 Mitglieder, Dateien von %3 Knoten, %4 Befunde, %5 Ereignisse, %6 Messwerte%7</translation>
    </message>
    <message>
        <source>; passwords included</source>
        <translation>; mit Passwörtern</translation>
    </message>
    <message>
        <source>Prints what a snapshot holds: when and who, the members, findings and events.</source>
        <translation>Gibt aus, was ein Snapshot enthält: wann und von wem, die Mitglieder, Befunde und Ereignisse.</translation>
    </message>
    <message>
        <source>A .tribune-snapshot file.</source>
        <translation>Eine .tribune-snapshot-Datei.</translation>
    </message>
    <message>
        <source>As one JSON document (docs/SNAPSHOT.md).</source>
        <translation>Als ein JSON-Dokument (docs/SNAPSHOT.md).</translation>
    </message>
    <message>
        <source>snapshot show: name one FILE</source>
        <translation>snapshot show: Geben Sie genau eine FILE an</translation>
    </message>
    <message>
        <source>snapshot show: %1</source>
        <translation>snapshot show: %1</translation>
    </message>
    <message>
        <source>THIS SNAPSHOT HOLDS PASSWORDS: share it as you would share them.</source>
        <translation>DIESER SNAPSHOT ENTHÄLT PASSWÖRTER: Geben Sie ihn nur so weiter, wie Sie die Passwörter selbst weitergeben würden.</translation>
    </message>
    <message>
        <source>Snapshot of %1, taken %2 by %3 (events from %4)</source>
        <translation>Snapshot von %1, erstellt am %2 von %3 (Ereignisse ab %4)</translation>
    </message>
    <message>
        <source>someone</source>
        <translation>Unbekannt</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>Findings: %1</source>
        <translation>Befunde: %1</translation>
    </message>
    <message>
        <source>Events: %1, samples: %2</source>
        <translation>Ereignisse: %1, Messwerte: %2</translation>
    </message>
    <message>
        <source>Not in the snapshot: %1</source>
        <translation>Nicht im Snapshot: %1</translation>
    </message>
    <message>
        <source>The earlier snapshot.</source>
        <translation>Der frühere Snapshot.</translation>
    </message>
    <message>
        <source>The later snapshot.</source>
        <translation>Der spätere Snapshot.</translation>
    </message>
    <message>
        <source>snapshot diff: name two snapshot files, the earlier first</source>
        <translation>snapshot diff: Geben Sie zwei Snapshot-Dateien an, die frühere zuerst</translation>
    </message>
    <message>
        <source>snapshot diff: %1</source>
        <translation>snapshot diff: %1</translation>
    </message>
    <message>
        <source>Shows what changed between two snapshots: members added, removed or changed, each domain&apos;s traffic side by side, each node&apos;s files, findings new and resolved. Exit 1 when members, files or findings differ.</source>
        <translation>Zeigt, was sich zwischen zwei Snapshots geändert hat: hinzugefügte, entfernte oder geänderte Mitglieder, den Datenverkehr jeder Domain nebeneinander, die Dateien jedes Knotens, neue und behobene Befunde. Exit-Code 1, wenn sich Mitglieder, Dateien oder Befunde unterscheiden.</translation>
    </message>
    <message>
        <source>Writes a snapshot&apos;s members, events and samples as CSV files (members.csv, events.csv, samples.csv) into a folder.</source>
        <translation>Schreibt Mitglieder, Ereignisse und Messwerte eines Snapshots als CSV-Dateien (members.csv, events.csv, samples.csv) in einen Ordner.</translation>
    </message>
    <message>
        <source>The folder to write the CSV files into.</source>
        <translation>Der Ordner, in den die CSV-Dateien geschrieben werden.</translation>
    </message>
    <message>
        <source>snapshot report: use --csv DIR FILE</source>
        <translation>snapshot report: verwenden Sie --csv DIR FILE</translation>
    </message>
    <message>
        <source>snapshot report: %1</source>
        <translation>snapshot report: %1</translation>
    </message>
    <message>
        <source>wrote %1 (%2 members, %3 events, %4 samples)</source>
        <translation>%1 geschrieben (%2 Mitglieder, %3 Ereignisse, %4 Messwerte)</translation>
    </message>
    <message>
        <source>snapshot: use export --seed S --key-file K -o FILE, show FILE [--json], diff A B, or report --csv DIR FILE</source>
        <translation>snapshot: verwenden Sie export --seed S --key-file K -o FILE, show FILE [--json], diff A B oder report --csv DIR FILE</translation>
    </message>
    <message>
        <source>Prints a node&apos;s health: uptime, CPU, memory, probe round trips, probes and gossip sent.</source>
        <translation>Gibt den Zustand eines Knotens aus: Laufzeit, CPU, Speicher, Probe-Umlaufzeiten, gesendete Probes und Gossip-Nachrichten.</translation>
    </message>
    <message>
        <source>The agent&apos;s membership port, HOST:PORT.</source>
        <translation>Der Membership-Port des Agenten, HOST:PORT.</translation>
    </message>
    <message>
        <source>The cluster key file (mode 0600).</source>
        <translation>Die Cluster-Schlüsseldatei (Modus 0600).</translation>
    </message>
    <message>
        <source>console or viewer (default: the strongest key in the file).</source>
        <translation>console oder viewer (Standard: der stärkste Schlüssel in der Datei).</translation>
    </message>
    <message>
        <source>Use TLS, trusting this certificate authority (PEM).</source>
        <translation>TLS verwenden und dieser Zertifizierungsstelle (PEM) vertrauen.</translation>
    </message>
    <message>
        <source>Resolve host names with this file (/etc/hosts format) alone, instead of the cluster folder&apos;s hosts file or the system resolver.</source>
        <translation>Hostnamen nur mit dieser Datei (/etc/hosts-Format) auflösen, statt mit der hosts-Datei des Cluster-Ordners oder dem System-Resolver.</translation>
    </message>
    <message>
        <source>name at least one PATH, or --seed HOST:PORT with --key-file for the running cluster; see --help</source>
        <translation>Geben Sie mindestens einen PATH an, oder --seed HOST:PORT mit --key-file für den laufenden Cluster; siehe --help</translation>
    </message>
    <message>
        <source>The history: sqlite:///path/history.sqlite, mysql://user:password@host:port/database or postgresql://...; default: the SQLite file the console uses, %1.</source>
        <translation>Der Verlauf: sqlite:///path/history.sqlite, mysql://user:password@host:port/database oder postgresql://...; Standard: die SQLite-Datei der Konsole, %1.</translation>
    </message>
    <message>
        <source>Only from T on: ISO 8601 such as 2026-11-23T10:00:00Z (without Z or an offset: local time), or an age before now such as 15m, 2h or 1d.</source>
        <translation>Erst ab T: ISO 8601 wie 2026-11-23T10:00:00Z (ohne Z oder Offset: Ortszeit) oder eine Zeitspanne vor jetzt wie 15m, 2h oder 1d.</translation>
    </message>
    <message>
        <source>Only up to T, in the forms --from takes.</source>
        <translation>Nur bis T, in den Formen, die --from annimmt.</translation>
    </message>
    <message>
        <source>install: writes the drop-in that runs a node&apos;s agent under systemd, as tribune-agent@INSTANCE.service, as the user that owns CARBON_HOME.</source>
        <translation>install: schreibt das Drop-in, mit dem systemd den Agenten eines Knotens als tribune-agent@INSTANCE.service ausführt, unter dem Benutzer, dem CARBON_HOME gehört.</translation>
    </message>
    <message>
        <source>install</source>
        <translation>install</translation>
    </message>
    <message>
        <source>The node&apos;s folder.</source>
        <translation>Der Ordner des Knotens.</translation>
    </message>
    <message>
        <source>The cluster key file the agent reads (default: /etc/tribune/cluster.keys).</source>
        <translation>Die Cluster-Schlüsseldatei, die der Agent liest (Standard: /etc/tribune/cluster.keys).</translation>
    </message>
    <message>
        <source>The node is the load balancer: the agent drives HAProxy, which may bind ports 80 and 443 and outlives a restart of the agent.</source>
        <translation>Der Knoten ist der Load Balancer: Der Agent steuert HAProxy, der die Ports 80 und 443 binden darf und einen Neustart des Agenten überdauert.</translation>
    </message>
    <message>
        <source>Write into the system installed under DIR, not /.</source>
        <translation>In das unter DIR installierte System schreiben, nicht nach /.</translation>
    </message>
    <message>
        <source>tribunectl service: usage: tribunectl service install CARBON_HOME [--key-file FILE] [--lb] [--root DIR]</source>
        <translation>tribunectl service: Aufruf: tribunectl service install CARBON_HOME [--key-file FILE] [--lb] [--root DIR]</translation>
    </message>
    <message>
        <source>tribunectl service: %1 is not an absolute path; the unit names the node&apos;s folder as the system sees it.</source>
        <translation>tribunectl service: %1 ist kein absoluter Pfad; die Unit nennt den Ordner des Knotens so, wie das System ihn sieht.</translation>
    </message>
    <message>
        <source>tribunectl service: %1 is not a folder; give the node&apos;s CARBON_HOME.</source>
        <translation>tribunectl service: %1 ist kein Ordner; geben Sie das CARBON_HOME des Knotens an.</translation>
    </message>
    <message>
        <source>tribunectl service: %1 has no repository/conf; give the node&apos;s CARBON_HOME.</source>
        <translation>tribunectl service: %1 hat kein repository/conf; geben Sie das CARBON_HOME des Knotens an.</translation>
    </message>
    <message>
        <source>tribunectl service: %1 belongs to root; the agent runs as the node&apos;s own user. Give the node&apos;s folder to that user (chown -R USER: %1) and try again.</source>
        <translation>tribunectl service: %1 gehört root; der Agent läuft unter dem eigenen Benutzer des Knotens. Machen Sie diesen Benutzer zum Eigentümer des Knotenordners (chown -R USER: %1) und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>tribunectl service: cannot create %1; run as root.</source>
        <translation>tribunectl service: %1 kann nicht angelegt werden; führen Sie den Befehl als root aus.</translation>
    </message>
    <message>
        <source>tribunectl service: cannot write %1: %2</source>
        <translation>tribunectl service: %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Wrote %1: the agent of %2 runs as %3.</source>
        <translation>%1 geschrieben: Der Agent von %2 läuft als %3.</translation>
    </message>
    <message>
        <source>The key file %1 does not exist yet: copy the cluster&apos;s key file there, readable by %2 only.</source>
        <translation>Die Schlüsseldatei %1 existiert noch nicht: Kopieren Sie die Schlüsseldatei des Clusters dorthin, nur für %2 lesbar.</translation>
    </message>
    <message>
        <source>Start it with: systemctl daemon-reload &amp;&amp; systemctl enable --now &apos;%1&apos;</source>
        <translation>Starten Sie ihn mit: systemctl daemon-reload &amp;&amp; systemctl enable --now &apos;%1&apos;</translation>
    </message>
    <message>
        <source>tribunectl service: %1 is not an absolute path; the agent starts in /, so give the key file&apos;s full path.</source>
        <translation>tribunectl service: %1 ist kein absoluter Pfad; der Agent startet in /, geben Sie daher den vollständigen Pfad der Schlüsseldatei an.</translation>
    </message>
    <message>
        <source>tribunectl service: a path with a line break or another control character cannot stand in a unit file; rename the folder.</source>
        <translation>tribunectl service: Ein Pfad mit Zeilenumbruch oder einem anderen Steuerzeichen kann nicht in einer Unit-Datei stehen; benennen Sie den Ordner um.</translation>
    </message>
    <message>
        <source>tribunectl service: the agent runs as %1 and reads %2 only if %1 owns it and nobody else may read it. Run: chown %1: %2 &amp;&amp; chmod 600 %2</source>
        <translation>tribunectl service: Der Agent läuft als %1 und liest %2 nur, wenn %1 der Eigentümer ist und niemand sonst sie lesen darf. Führen Sie aus: chown %1: %2 &amp;&amp; chmod 600 %2</translation>
    </message>
</context>
<context>
    <name>Tribune::ClusterConfig</name>
    <message>
        <source>no such file or folder</source>
        <translation>Datei oder Ordner nicht vorhanden</translation>
    </message>
    <message>
        <source>holds no node (a folder with repository/conf/axis2/axis2.xml or carbon.xml) and no loadbalancer.conf</source>
        <translation>enthält keinen Knoten (einen Ordner mit repository/conf/axis2/axis2.xml oder carbon.xml) und keine loadbalancer.conf</translation>
    </message>
    <message>
        <source>folder %1 is no node of this cluster; name the folders that hold the nodes</source>
        <translation>Ordner %1 ist kein Knoten dieses Clusters; geben Sie die Ordner an, die die Knoten enthalten</translation>
    </message>
    <message>
        <source>not a node: neither it nor its repository/conf holds axis2/axis2.xml or carbon.xml</source>
        <translation>kein Knoten: Weder der Ordner noch sein repository/conf enthält axis2/axis2.xml oder carbon.xml</translation>
    </message>
</context>
<context>
    <name>Tribune::ClusterConnection</name>
    <message>
        <source>the load balancer %1</source>
        <translation>der Load Balancer %1</translation>
    </message>
    <message>
        <source>the membership port %1</source>
        <translation>der Membership-Port %1</translation>
    </message>
    <message>
        <source>no answer from %1 within %2 s</source>
        <translation>%1 hat innerhalb von %2 s nicht geantwortet</translation>
    </message>
    <message>
        <source>the membership port %1: %2</source>
        <translation>Membership-Port %1: %2</translation>
    </message>
    <message>
        <source>the membership port %1 refused the console: %2</source>
        <translation>der Membership-Port %1 hat die Konsole abgewiesen: %2</translation>
    </message>
    <message>
        <source>the load balancer %1: %2</source>
        <translation>Load Balancer %1: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::ClusterTreeModel</name>
    <message>
        <source>Load balancer</source>
        <translation>Load Balancer</translation>
    </message>
    <message>
        <source>(no domain)</source>
        <translation>(keine Domain)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Membership</source>
        <translation>Membership</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>HTTPS</source>
        <translation>HTTPS</translation>
    </message>
    <message>
        <source>Offset</source>
        <translation>Offset</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Befunde</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
</context>
<context>
    <name>Tribune::ClusterWorkspace</name>
    <message>
        <source>cannot create a temporary folder for the cluster&apos;s files: %1; free space there (or set TMPDIR) and try again</source>
        <translation>temporärer Ordner für die Dateien des Clusters kann nicht angelegt werden: %1; schaffen Sie dort Platz (oder setzen Sie TMPDIR) und versuchen Sie es erneut</translation>
    </message>
    <message>
        <source>running cluster (%1)</source>
        <translation>laufender Cluster (%1)</translation>
    </message>
    <message>
        <source>Correct the file and reload; until then the cluster shown is the one read before.</source>
        <translation>Korrigieren Sie die Datei und laden Sie neu; bis dahin wird der zuvor gelesene Cluster angezeigt.</translation>
    </message>
</context>
<context>
    <name>Tribune::Config</name>
    <message>
        <source>group_mgt_port &apos;%1&apos; is not a port number; use a whole number from 1 to 65535</source>
        <translation>group_mgt_port &apos;%1&apos; ist keine Portnummer; verwenden Sie eine ganze Zahl von 1 bis 65535</translation>
    </message>
    <message>
        <source>the setting &apos;%1&apos; is not ended by &apos;;&apos;; add &apos;;&apos; after its value</source>
        <translation>die Einstellung &apos;%1&apos; endet nicht mit &apos;;&apos;; fügen Sie &apos;;&apos; nach ihrem Wert ein</translation>
    </message>
    <message>
        <source>unexpected &apos;;&apos; with no setting before it; remove it</source>
        <translation>unerwartetes &apos;;&apos; ohne vorangehende Einstellung; entfernen Sie es</translation>
    </message>
    <message>
        <source>a block needs a name before &apos;{&apos;; write it as &apos;name { ... }&apos;</source>
        <translation>ein Block braucht vor &apos;{&apos; einen Namen; schreiben Sie ihn als &apos;name { ... }&apos;</translation>
    </message>
    <message>
        <source>blocks are nested more than %1 deep; close the blocks left open</source>
        <translation>Blöcke sind tiefer als %1 Ebenen verschachtelt; schließen Sie die offenen Blöcke</translation>
    </message>
    <message>
        <source>unexpected &apos;}&apos; with no block open; remove it or add the missing &apos;name {&apos;</source>
        <translation>unerwartetes &apos;}&apos; ohne offenen Block; entfernen Sie es oder fügen Sie das fehlende &apos;name {&apos; ein</translation>
    </message>
    <message>
        <source>the block &apos;%1&apos; opened here is never closed: the &apos;#&apos; comment on line %2 runs to the end of that line and hides its &apos;}&apos;; put the comment on its own line</source>
        <translation>der hier geöffnete Block &apos;%1&apos; wird nie geschlossen: Der &apos;#&apos;-Kommentar in Zeile %2 reicht bis zum Zeilenende und verdeckt sein &apos;}&apos;; setzen Sie den Kommentar in eine eigene Zeile</translation>
    </message>
    <message>
        <source>the block &apos;%1&apos; opened here is never closed; add &apos;}&apos; at its end</source>
        <translation>der hier geöffnete Block &apos;%1&apos; wird nie geschlossen; fügen Sie an seinem Ende &apos;}&apos; ein</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(Standard)</translation>
    </message>
    <message>
        <source>service &apos;%1&apos; has no domain &apos;%2&apos; with sub-domain &apos;%3&apos;; check the names against the file</source>
        <translation>Service &apos;%1&apos; hat keine Domain &apos;%2&apos; mit Subdomain &apos;%3&apos;; gleichen Sie die Namen mit der Datei ab</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid name; use one word without spaces, commas, &apos;;&apos;, &apos;{&apos;, &apos;}&apos; or &apos;#&apos;</source>
        <translation>&apos;%1&apos; ist kein gültiger Name; verwenden Sie ein Wort ohne Leerzeichen, Kommas, &apos;;&apos;, &apos;{&apos;, &apos;}&apos; oder &apos;#&apos;</translation>
    </message>
    <message>
        <source>the value &apos;%1&apos; contains a line break, &apos;;&apos;, &apos;{&apos;, &apos;}&apos; or &apos;#&apos;, which would change the file&apos;s structure; remove them</source>
        <translation>der Wert &apos;%1&apos; enthält einen Zeilenumbruch, &apos;;&apos;, &apos;{&apos;, &apos;}&apos; oder &apos;#&apos;, was die Struktur der Datei ändern würde; entfernen Sie diese Zeichen</translation>
    </message>
    <message>
        <source>tenant_range &apos;%1&apos; is not valid; use &apos;*&apos; for all tenants, a tenant id such as 7, or a range such as 10-20 whose first id is not above its last</source>
        <translation>tenant_range &apos;%1&apos; ist ungültig; verwenden Sie &apos;*&apos; für alle Tenants, eine Tenant-ID wie 7 oder einen Bereich wie 10-20, dessen erste ID nicht größer als die letzte ist</translation>
    </message>
    <message>
        <source>cannot read %1: %2; check that the file exists and that you may read it</source>
        <translation>%1 kann nicht gelesen werden: %2; prüfen Sie, ob die Datei existiert und Sie sie lesen dürfen</translation>
    </message>
    <message>
        <source>cannot write %1: %2; check that the folder exists and that you may write to it</source>
        <translation>%1 kann nicht geschrieben werden: %2; prüfen Sie, ob der Ordner existiert und Sie darin schreiben dürfen</translation>
    </message>
    <message>
        <source>the sub-domain &apos;%1&apos; is the name of a nested block; rename that block instead</source>
        <translation>die Subdomain &apos;%1&apos; ist der Name eines verschachtelten Blocks; benennen Sie stattdessen diesen Block um</translation>
    </message>
    <message>
        <source>there is no service &apos;%1&apos; in the file; add the service first or check its name</source>
        <translation>die Datei enthält keinen Service &apos;%1&apos;; fügen Sie den Service zuerst hinzu oder prüfen Sie seinen Namen</translation>
    </message>
    <message>
        <source>service &apos;%1&apos; already serves domain &apos;%2&apos; with sub-domain &apos;%3&apos;; edit that domain instead</source>
        <translation>Service &apos;%1&apos; bedient bereits Domain &apos;%2&apos; mit Subdomain &apos;%3&apos;; bearbeiten Sie stattdessen diese Domain</translation>
    </message>
    <message>
        <source>service &apos;%1&apos; sets a sub_domain for all its domains, so &apos;%2&apos; cannot have the default sub-domain; give it one</source>
        <translation>Service &apos;%1&apos; setzt sub_domain für alle seine Domains, daher kann &apos;%2&apos; nicht die Standard-Subdomain haben; geben Sie ihr eine</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a block, not a setting with a value; edit the settings inside it</source>
        <translation>&apos;%1&apos; ist ein Block, keine Einstellung mit Wert; bearbeiten Sie die Einstellungen darin</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a setting, not a block; add to the block that holds it</source>
        <translation>&apos;%1&apos; ist eine Einstellung, kein Block; ergänzen Sie den Block, der sie enthält</translation>
    </message>
    <message>
        <source>the whole file cannot be removed; remove its blocks instead</source>
        <translation>die ganze Datei kann nicht entfernt werden; entfernen Sie stattdessen ihre Blöcke</translation>
    </message>
    <message>
        <source>the setting to edit is no longer part of the file; look it up again after each edit</source>
        <translation>die zu bearbeitende Einstellung ist nicht mehr Teil der Datei; suchen Sie sie nach jeder Änderung erneut</translation>
    </message>
    <message>
        <source>the file is not valid %1; save it in that encoding or fix its declaration</source>
        <translation>die Datei ist kein gültiges %1; speichern Sie sie in dieser Kodierung oder korrigieren Sie ihre Deklaration</translation>
    </message>
    <message>
        <source>expected &lt;%1&gt; as the document element, found &lt;%2&gt;; is this the right file?</source>
        <translation>&lt;%1&gt; als Dokumentelement erwartet, &lt;%2&gt; gefunden; ist das die richtige Datei?</translation>
    </message>
    <message>
        <source>cannot read the file: %1</source>
        <translation>Datei kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>%1 is not in the file</source>
        <translation>%1 ist nicht in der Datei</translation>
    </message>
    <message>
        <source> (a bare &apos;&amp;&apos; at &quot;%1&quot;: write it as &amp;amp;)</source>
        <translation> (ein einzelnes &apos;&amp;&apos; bei &quot;%1&quot;: schreiben Sie es als &amp;amp;)</translation>
    </message>
    <message>
        <source>the file is %1 MB, more than the %2 MB a configuration file may be; it is not one</source>
        <translation>die Datei ist %1 MB groß, mehr als die %2 MB, die eine Konfigurationsdatei haben darf; sie ist keine</translation>
    </message>
    <message>
        <source>unsupported encoding &quot;%1&quot; in the XML declaration; use UTF-8 or ISO-8859-1</source>
        <translation>nicht unterstützte Kodierung &quot;%1&quot; in der XML-Deklaration; verwenden Sie UTF-8 oder ISO-8859-1</translation>
    </message>
    <message>
        <source>an element with %1 attributes, more than the %2 a configuration file may have</source>
        <translation>ein Element mit %1 Attributen, mehr als die %2, die eine Konfigurationsdatei haben darf</translation>
    </message>
    <message>
        <source>elements nested more than %1 deep; a configuration file nests a dozen</source>
        <translation>Elemente tiefer als %1 Ebenen verschachtelt; eine Konfigurationsdatei hat etwa ein Dutzend</translation>
    </message>
    <message>
        <source>malformed XML: %1</source>
        <translation>fehlerhaftes XML: %1</translation>
    </message>
    <message>
        <source>the file holds no XML element</source>
        <translation>die Datei enthält kein XML-Element</translation>
    </message>
    <message>
        <source>cannot write the file: %1</source>
        <translation>Datei kann nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>the edit would leave the file malformed (%1)</source>
        <translation>die Änderung würde die Datei fehlerhaft machen (%1)</translation>
    </message>
    <message>
        <source>&lt;%1&gt; holds other elements; its text cannot be replaced</source>
        <translation>&lt;%1&gt; enthält andere Elemente; sein Text kann nicht ersetzt werden</translation>
    </message>
    <message>
        <source>the fragment holds no element</source>
        <translation>das Fragment enthält kein Element</translation>
    </message>
</context>
<context>
    <name>Tribune::ConfigView</name>
    <message>
        <source>Filter nodes, domains, hosts…</source>
        <translation>Knoten, Domains, Hosts filtern…</translation>
    </message>
    <message>
        <source>Open a cluster folder to check its configuration.</source>
        <translation>Öffnen Sie einen Cluster-Ordner, um seine Konfiguration zu prüfen.</translation>
    </message>
    <message>
        <source>%1 nodes · %2 · %3</source>
        <translation>%1 Knoten · %2 · %3</translation>
    </message>
    <message>
        <source>&amp;Configure…</source>
        <translation>&amp;Konfigurieren…</translation>
    </message>
</context>
<context>
    <name>Tribune::ConnectDialog</name>
    <message>
        <source>&amp;Forget</source>
        <translation>Ver&amp;gessen</translation>
    </message>
    <message>
        <source>default: the first well-known member</source>
        <translation>Standard: der erste Well-Known Member</translation>
    </message>
    <message>
        <source>/path/to/admin.sock or 127.0.0.1:9999 (optional)</source>
        <translation>/path/to/admin.sock oder 127.0.0.1:9999 (optional)</translation>
    </message>
    <message>
        <source>mode 0600, as the agents have it</source>
        <translation>Modus 0600, wie bei den Agenten</translation>
    </message>
    <message>
        <source>only for TLS</source>
        <translation>nur für TLS</translation>
    </message>
    <message>
        <source>default: SQLite in the data folder</source>
        <translation>Standard: SQLite im Datenordner</translation>
    </message>
    <message>
        <source>Connect to a Cluster</source>
        <translation>Mit einem Cluster verbinden</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>Neue Verbindung</translation>
    </message>
    <message>
        <source>Where to keep history: empty for a SQLite file in the data folder, sqlite:///path/history.sqlite, mysql://user:password@host:port/database, postgresql://user:password@host:port/database for a history the team shares, or none to keep no history.</source>
        <translation>Speicherort des Verlaufs: leer für eine SQLite-Datei im Datenordner, sqlite:///path/history.sqlite, mysql://user:password@host:port/database, postgresql://user:password@host:port/database für einen im Team gemeinsam genutzten Verlauf oder none, um keinen Verlauf zu führen.</translation>
    </message>
    <message>
        <source>Strongest key in the file</source>
        <translation>Stärkster Schlüssel der Datei</translation>
    </message>
    <message>
        <source>Console (may change members)</source>
        <translation>Konsole (darf Mitglieder ändern)</translation>
    </message>
    <message>
        <source>Viewer (read-only)</source>
        <translation>Betrachter (nur lesen)</translation>
    </message>
    <message>
        <source>Remove this saved connection from the list. Its key file stays where it is.</source>
        <translation>Diese gespeicherte Verbindung aus der Liste entfernen. Ihre Schlüsseldatei bleibt, wo sie ist.</translation>
    </message>
    <message>
        <source>&amp;Profile:</source>
        <translation>&amp;Profil:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Well-known members:</source>
        <translation>&amp;Well-Known Members:</translation>
    </message>
    <message>
        <source>Load balancer admin &amp;socket:</source>
        <translation>Admin-&amp;Socket des Load Balancers:</translation>
    </message>
    <message>
        <source>Cluster &amp;key file:</source>
        <translation>Cluster-Schlüssel&amp;datei:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Choose the Cluster Key File</source>
        <translation>Cluster-Schlüsseldatei auswählen</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>&amp;Rolle:</translation>
    </message>
    <message>
        <source>&amp;TLS certificate authority:</source>
        <translation>&amp;TLS-Zertifizierungsstelle:</translation>
    </message>
    <message>
        <source>Choose the Certificate Authority</source>
        <translation>Zertifizierungsstelle auswählen</translation>
    </message>
    <message>
        <source>&amp;History:</source>
        <translation>&amp;Verlauf:</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Verbinden</translation>
    </message>
    <message>
        <source>default: %1</source>
        <translation>Standard: %1</translation>
    </message>
</context>
<context>
    <name>Tribune::ConnectionProfiles</name>
    <message>
        <source>Choose the cluster key file: the file the agents use, made with &quot;tribunectl keygen&quot;.</source>
        <translation>Wählen Sie die Cluster-Schlüsseldatei: die Datei, die die Agenten verwenden, erzeugt mit &quot;tribunectl keygen&quot;.</translation>
    </message>
    <message>
        <source>The key file %1 does not exist: choose the file the agents use, made with &quot;tribunectl keygen&quot;.</source>
        <translation>Die Schlüsseldatei %1 existiert nicht: Wählen Sie die Datei, die die Agenten verwenden, erzeugt mit &quot;tribunectl keygen&quot;.</translation>
    </message>
    <message>
        <source>%1 is not a file: choose the cluster key file.</source>
        <translation>%1 ist keine Datei: Wählen Sie die Cluster-Schlüsseldatei.</translation>
    </message>
    <message>
        <source>The key file %1 holds no %2 key: choose another role, or the strongest key in the file.</source>
        <translation>Die Schlüsseldatei %1 enthält keinen %2-Schlüssel: Wählen Sie eine andere Rolle oder den stärksten Schlüssel der Datei.</translation>
    </message>
    <message>
        <source>The certificate authority file %1 does not exist: choose the PEM file that signed the agents&apos; certificates, or leave the field empty to connect without TLS.</source>
        <translation>Die Datei der Zertifizierungsstelle %1 existiert nicht: Wählen Sie die PEM-Datei, mit der die Zertifikate der Agenten signiert wurden, oder lassen Sie das Feld leer, um ohne TLS zu verbinden.</translation>
    </message>
    <message>
        <source>Enter a well-known member as HOST:PORT (e.g. 127.0.0.1:4000), or several separated by commas: the console learns the cluster&apos;s members from them. Or give only the load balancer&apos;s admin socket, to watch its servers alone.</source>
        <translation>Geben Sie einen Well-Known Member als HOST:PORT an (z. B. 127.0.0.1:4000) oder mehrere, durch Kommas getrennt: Die Konsole erfährt von ihnen die Mitglieder des Clusters. Oder geben Sie nur den Admin-Socket des Load Balancers an, um nur dessen Server zu beobachten.</translation>
    </message>
</context>
<context>
    <name>Tribune::ConsolePreferences</name>
    <message>
        <source>&quot;none&quot; keeps no history: there is no database to check.</source>
        <translation>„none“ führt keinen Verlauf: Es gibt keine Datenbank zu prüfen.</translation>
    </message>
    <message>
        <source>1 minute</source>
        <translation>1 Minute</translation>
    </message>
    <message>
        <source>5 minutes</source>
        <translation>5 Minuten</translation>
    </message>
    <message>
        <source>10 minutes</source>
        <translation>10 Minuten</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <source>6 hours</source>
        <translation>6 Stunden</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 Stunden</translation>
    </message>
    <message>
        <source>%1 seconds</source>
        <translation>%1 Sekunden</translation>
    </message>
</context>
<context>
    <name>Tribune::CopyRows</name>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
</context>
<context>
    <name>Tribune::DatasourcesPanel</name>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>No tables</source>
        <translation>Keine Tabellen</translation>
    </message>
    <message>
        <source>No database</source>
        <translation>Keine Datenbank</translation>
    </message>
    <message>
        <source>Not granted</source>
        <translation>Keine Rechte</translation>
    </message>
    <message>
        <source>Wrong user or password</source>
        <translation>Falscher Benutzer oder falsches Passwort</translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation>Nicht erreichbar</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>Nicht geprüft</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>&amp;Test Connections</source>
        <translation>Verbindungen &amp;testen</translation>
    </message>
    <message>
        <source>Cancel Test</source>
        <translation>Test abbrechen</translation>
    </message>
    <message>
        <source>C&amp;reate Database…</source>
        <translation>Datenbank &amp;anlegen…</translation>
    </message>
    <message>
        <source>Datasource</source>
        <translation>Datenquelle</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Create the selected datasource&apos;s database and grant its user, with a database administrator&apos;s credentials that are not kept</source>
        <translation>Die Datenbank der ausgewählten Datenquelle anlegen und ihrem Benutzer Rechte erteilen, mit Anmeldedaten eines Datenbankadministrators, die nicht gespeichert werden</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL:</translation>
    </message>
    <message>
        <source>U&amp;ser:</source>
        <translation>&amp;Benutzer:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>Pa&amp;sswort:</translation>
    </message>
    <message>
        <source>Cannot create the database: %1</source>
        <translation>Datenbank kann nicht angelegt werden: %1</translation>
    </message>
    <message>
        <source>The node has no datasources.</source>
        <translation>Der Knoten hat keine Datenquellen.</translation>
    </message>
    <message>
        <source>Test the connections before you push: the node needs its databases at start.</source>
        <translation>Testen Sie die Verbindungen vor dem Übertragen: Der Knoten braucht seine Datenbanken beim Start.</translation>
    </message>
    <message>
        <source>Connecting to the database servers…</source>
        <translation>Verbindung zu den Datenbankservern wird hergestellt…</translation>
    </message>
    <message>
        <source>Test cancelled.</source>
        <translation>Test abgebrochen.</translation>
    </message>
    <message>
        <source>Changed; the node&apos;s own value is %1</source>
        <translation>Geändert; der eigene Wert des Knotens ist %1</translation>
    </message>
    <message>
        <source>Every datasource is ready.</source>
        <translation>Alle Datenquellen sind bereit.</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n datasource(s) ready.</source>
        <translation>
            <numerusform>%1 von %n Datenquelle bereit.</numerusform>
            <numerusform>%1 von %n Datenquellen bereit.</numerusform>
        </translation>
    </message>
    <message>
        <source>Create the Database</source>
        <translation>Datenbank anlegen</translation>
    </message>
    <message>
        <source>C&amp;reate</source>
        <translation>&amp;Anlegen</translation>
    </message>
    <message>
        <source>A database administrator&apos;s account creates the database of %1 and grants %2 every privilege on it. These credentials are used once and not kept.</source>
        <translation>Mit dem Konto eines Datenbankadministrators wird die Datenbank von %1 angelegt und %2 erhält alle Rechte darauf. Diese Anmeldedaten werden einmal verwendet und nicht gespeichert.</translation>
    </message>
    <message>
        <source>Administrator:</source>
        <translation>Administrator:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Passwort:</translation>
    </message>
    <message>
        <source>Creating the database of %1…</source>
        <translation>Datenbank von %1 wird angelegt…</translation>
    </message>
    <message>
        <source>%1 %2: %3</source>
        <translation>%1 %2: %3</translation>
    </message>
</context>
<context>
    <name>Tribune::DiffView</name>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Nachher</translation>
    </message>
    <message>
        <source>&amp;Unified</source>
        <translation>Ein&amp;heitlich</translation>
    </message>
    <message>
        <source>Side by Si&amp;de</source>
        <translation>&amp;Nebeneinander</translation>
    </message>
    <message>
        <source>%1: %2 bytes before, %3 after; too large to show here</source>
        <translation>%1: %2 Bytes vorher, %3 nachher; zu groß für die Anzeige hier</translation>
    </message>
    <message>
        <source>Only line ends differ (CRLF or LF, or the newline at the end).</source>
        <translation>Nur die Zeilenenden unterscheiden sich (CRLF oder LF, oder der Zeilenumbruch am Ende).</translation>
    </message>
</context>
<context>
    <name>Tribune::EventLogModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Ereignis</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Mitglied</translation>
    </message>
    <message>
        <source>Domain / sub-domain</source>
        <translation>Domain / Subdomain</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Double-click to open this snapshot</source>
        <translation>Doppelklicken, um diesen Snapshot zu öffnen</translation>
    </message>
    <message>
        <source>join</source>
        <translation>Beitritt</translation>
    </message>
    <message>
        <source>leave</source>
        <translation>Austritt</translation>
    </message>
    <message>
        <source>failure</source>
        <translation>Ausfall</translation>
    </message>
    <message>
        <source>suspect</source>
        <translation>Verdacht</translation>
    </message>
    <message>
        <source>refute</source>
        <translation>Widerlegung</translation>
    </message>
    <message>
        <source>rejoin</source>
        <translation>Wiederbeitritt</translation>
    </message>
    <message>
        <source>health</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>Verwaltung</translation>
    </message>
    <message>
        <source>snapshot</source>
        <translation>Snapshot</translation>
    </message>
</context>
<context>
    <name>Tribune::FindingsModel</name>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Suggested fix</source>
        <translation>Lösungsvorschlag</translation>
    </message>
    <message>
        <source>load balancer</source>
        <translation>Load Balancer</translation>
    </message>
</context>
<context>
    <name>Tribune::FindingsPanel</name>
    <message>
        <source>All findings</source>
        <translation>Alle Befunde</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Nur Fehler</translation>
    </message>
    <message>
        <source>Warnings only</source>
        <translation>Nur Warnungen</translation>
    </message>
    <message>
        <source>Search findings</source>
        <translation>Befunde durchsuchen</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Befunde</translation>
    </message>
    <message>
        <source>&amp;Open File at Line</source>
        <translation>&amp;Datei an Zeile öffnen</translation>
    </message>
    <message>
        <source>&amp;Fix…</source>
        <translation>&amp;Beheben…</translation>
    </message>
    <message>
        <source>%1: %2
%3</source>
        <translation>%1: %2
%3</translation>
    </message>
</context>
<context>
    <name>Tribune::HAProxy</name>
    <message>
        <source>render-haproxy: cannot write %1: %2</source>
        <translation>render-haproxy: %1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>Renders a loadbalancer.conf as an HAProxy configuration and its hosts map.</source>
        <translation>Erzeugt aus einer loadbalancer.conf eine HAProxy-Konfiguration und ihre Host-Map.</translation>
    </message>
    <message>
        <source>Write the configuration to FILE instead of standard output.</source>
        <translation>Die Konfiguration in FILE statt auf die Standardausgabe schreiben.</translation>
    </message>
    <message>
        <source>The Host -&gt; backend map file to write (default: hosts.map beside the output).</source>
        <translation>Die zu schreibende Map-Datei Host -&gt; Backend (Standard: hosts.map neben der Ausgabe).</translation>
    </message>
    <message>
        <source>Listen on ADDRESS (default: *).</source>
        <translation>Auf ADDRESS lauschen (Standard: *).</translation>
    </message>
    <message>
        <source>PEM with certificate and key for HTTPS; without it, no HTTPS listener.</source>
        <translation>PEM mit Zertifikat und Schlüssel für HTTPS; ohne sie kein HTTPS-Listener.</translation>
    </message>
    <message>
        <source>Unix admin socket (default: admin.sock beside the output).</source>
        <translation>Unix-Admin-Socket (Standard: admin.sock neben der Ausgabe).</translation>
    </message>
    <message>
        <source>Also an admin socket on a loopback ADDRESS:PORT, e.g. 127.0.0.1:9999.</source>
        <translation>Zusätzlich ein Admin-Socket auf einer Loopback-ADDRESS:PORT, z. B. 127.0.0.1:9999.</translation>
    </message>
    <message>
        <source>Map file of &quot;&lt;tenant-domain&gt; &lt;id&gt;&quot; lines, needed for tenant ranges.</source>
        <translation>Map-Datei mit Zeilen &quot;&lt;tenant-domain&gt; &lt;id&gt;&quot;, nötig für Tenant-Bereiche.</translation>
    </message>
    <message>
        <source>The ELB&apos;s loadbalancer.conf.</source>
        <translation>Die loadbalancer.conf des ELB.</translation>
    </message>
    <message>
        <source>render-haproxy: name one loadbalancer.conf; see --help</source>
        <translation>render-haproxy: Geben Sie genau eine loadbalancer.conf an; siehe --help</translation>
    </message>
    <message>
        <source>render-haproxy: ports must be numbers</source>
        <translation>render-haproxy: Ports müssen Zahlen sein</translation>
    </message>
    <message>
        <source>render-haproxy: the hosts map and the configuration must be different files</source>
        <translation>render-haproxy: Host-Map und Konfiguration müssen verschiedene Dateien sein</translation>
    </message>
    <message>
        <source>%1 does not exist yet; HAProxy will not start without it</source>
        <translation>%1 existiert noch nicht; HAProxy startet nicht ohne diese Datei</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message>
        <source>domain &apos;%1&apos; with sub-domain &apos;%2&apos; cannot name an HAProxy backend: use only letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos; and &apos;:&apos;</source>
        <translation>Domain &apos;%1&apos; mit Subdomain &apos;%2&apos; ergibt keinen gültigen HAProxy-Backend-Namen: Verwenden Sie nur Buchstaben, Ziffern, &apos;-&apos;, &apos;_&apos;, &apos;.&apos; und &apos;:&apos;</translation>
    </message>
    <message>
        <source>backend &apos;%1&apos; is already defined by line %2: the same domain and sub-domain are served twice; merge the two blocks</source>
        <translation>Backend &apos;%1&apos; ist bereits in Zeile %2 definiert: Dieselbe Domain und Subdomain werden doppelt bedient; führen Sie die beiden Blöcke zusammen</translation>
    </message>
    <message>
        <source>host &apos;%1&apos; of domain &apos;%2&apos; cannot be a key of the hosts map: use only letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;, without a port</source>
        <translation>Host &apos;%1&apos; der Domain &apos;%2&apos; kann kein Schlüssel der Host-Map sein: Verwenden Sie nur Buchstaben, Ziffern, &apos;-&apos;, &apos;_&apos; und &apos;.&apos;, ohne Port</translation>
    </message>
    <message>
        <source>domain &apos;%1&apos; (backend &apos;%2&apos;) has no hosts, so no request could reach it; add a hosts statement</source>
        <translation>Domain &apos;%1&apos; (Backend &apos;%2&apos;) hat keine Hosts, daher kann keine Anfrage sie erreichen; fügen Sie eine hosts-Anweisung hinzu</translation>
    </message>
    <message>
        <source>domain &apos;%1&apos; serves tenants %2 only, which needs a tenants map (tenant domain -&gt; id); give one</source>
        <translation>Domain &apos;%1&apos; bedient nur die Tenants %2, was eine Tenant-Map (Tenant-Domain -&gt; ID) erfordert; geben Sie eine an</translation>
    </message>
    <message>
        <source>host &apos;%1&apos; already routes to backend &apos;%2&apos; (line %3) for all tenants; one host cannot route to two backends, so give them different hosts</source>
        <translation>Host &apos;%1&apos; leitet bereits für alle Tenants an Backend &apos;%2&apos; weiter (Zeile %3); ein Host kann nicht an zwei Backends weiterleiten, geben Sie ihnen daher verschiedene Hosts</translation>
    </message>
    <message>
        <source>no certificate given: there is no HTTPS listener on port %1</source>
        <translation>kein Zertifikat angegeben: Es gibt keinen HTTPS-Listener auf Port %1</translation>
    </message>
    <message>
        <source>host &apos;%1&apos; is served only for some tenants; requests for it without such a tenant get 503</source>
        <translation>Host &apos;%1&apos; wird nur für bestimmte Tenants bedient; Anfragen an ihn ohne einen solchen Tenant erhalten 503</translation>
    </message>
    <message>
        <source>tenants %1 of backend &apos;%2&apos; overlap tenants %3 of backend &apos;%4&apos; on a shared host; the earlier backend gets them</source>
        <translation>Tenants %1 von Backend &apos;%2&apos; überschneiden sich auf einem gemeinsamen Host mit Tenants %3 von Backend &apos;%4&apos;; das frühere Backend erhält sie</translation>
    </message>
    <message>
        <source>no domain has a tenant range; the tenants map is not used</source>
        <translation>keine Domain hat einen Tenant-Bereich; die Tenant-Map wird nicht verwendet</translation>
    </message>
    <message numerus="yes">
        <source>there is no backend &apos;%1&apos;; its %n server(s) are left out</source>
        <translation>
            <numerusform>es gibt kein Backend &apos;%1&apos;; sein %n Server wird ausgelassen</numerusform>
            <numerusform>es gibt kein Backend &apos;%1&apos;; seine %n Server werden ausgelassen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 &apos;%2&apos; must be an absolute path of letters, digits and / . _ - + @ ~ =</source>
        <translation>%1 &apos;%2&apos; muss ein absoluter Pfad aus Buchstaben, Ziffern und / . _ - + @ ~ = sein</translation>
    </message>
    <message>
        <source>an admin socket path is required</source>
        <translation>ein Admin-Socket-Pfad ist erforderlich</translation>
    </message>
    <message>
        <source>admin socket</source>
        <translation>Admin-Socket</translation>
    </message>
    <message>
        <source>admin socket path &apos;%1&apos; is longer than 97 bytes</source>
        <translation>Admin-Socket-Pfad &apos;%1&apos; ist länger als 97 Bytes</translation>
    </message>
    <message>
        <source>hosts map</source>
        <translation>Host-Map</translation>
    </message>
    <message>
        <source>tenants map</source>
        <translation>Tenant-Map</translation>
    </message>
    <message>
        <source>certificate</source>
        <translation>Zertifikat</translation>
    </message>
    <message>
        <source>admin TCP address &apos;%1&apos; must be a loopback address with a port, e.g. 127.0.0.1:9999 or [::1]:9999</source>
        <translation>Admin-TCP-Adresse &apos;%1&apos; muss eine Loopback-Adresse mit Port sein, z. B. 127.0.0.1:9999 oder [::1]:9999</translation>
    </message>
    <message>
        <source>bind address &apos;%1&apos; must be * or an IP address</source>
        <translation>Bind-Adresse &apos;%1&apos; muss * oder eine IP-Adresse sein</translation>
    </message>
    <message>
        <source>ports %1 and %2 must be two different ports from 1 to 65535</source>
        <translation>Ports %1 und %2 müssen zwei verschiedene Ports von 1 bis 65535 sein</translation>
    </message>
    <message>
        <source>ring name &apos;%1&apos; is not a valid HAProxy name</source>
        <translation>Ring-Name &apos;%1&apos; ist kein gültiger HAProxy-Name</translation>
    </message>
    <message>
        <source>server &apos;%1&apos; at %2:%3 weight %4 of backend &apos;%5&apos; cannot be rendered: check its name (unique), address, port and weight (0-256)</source>
        <translation>Server &apos;%1&apos; auf %2:%3 mit Gewicht %4 von Backend &apos;%5&apos; kann nicht erzeugt werden: Prüfen Sie Namen (eindeutig), Adresse, Port und Gewicht (0-256)</translation>
    </message>
    <message>
        <source>the reply is empty</source>
        <translation>die Antwort ist leer</translation>
    </message>
    <message>
        <source>it begins &quot;%1&quot;</source>
        <translation>sie beginnt mit &quot;%1&quot;</translation>
    </message>
    <message>
        <source>not a &quot;show stat&quot; reply (no &quot;# pxname,svname,...&quot; header): %1</source>
        <translation>keine Antwort auf &quot;show stat&quot; (kein Header &quot;# pxname,svname,...&quot;): %1</translation>
    </message>
    <message>
        <source>not a &quot;show servers state&quot; reply of format 1: %1</source>
        <translation>keine Antwort auf &quot;show servers state&quot; im Format 1: %1</translation>
    </message>
    <message>
        <source>the &quot;show servers state&quot; reply has no &quot;# be_id be_name ...&quot; header: %1</source>
        <translation>die Antwort auf &quot;show servers state&quot; hat keinen Header &quot;# be_id be_name ...&quot;: %1</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an HAProxy backend name (letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos;, &apos;:&apos;)</source>
        <translation>&quot;%1&quot; ist kein HAProxy-Backend-Name (Buchstaben, Ziffern, &apos;-&apos;, &apos;_&apos;, &apos;.&apos;, &apos;:&apos;)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an HAProxy server name (letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos;, &apos;:&apos;)</source>
        <translation>&quot;%1&quot; ist kein HAProxy-Servername (Buchstaben, Ziffern, &apos;-&apos;, &apos;_&apos;, &apos;.&apos;, &apos;:&apos;)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; port %2 is not a server address</source>
        <translation>&quot;%1&quot; Port %2 ist keine Serveradresse</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a server keyword</source>
        <translation>&quot;%1&quot; ist kein Server-Schlüsselwort</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is neither a socket path nor HOST:PORT (e.g. /run/haproxy/admin.sock or 127.0.0.1:9999)</source>
        <translation>&quot;%1&quot; ist weder ein Socket-Pfad noch HOST:PORT (z. B. /run/haproxy/admin.sock oder 127.0.0.1:9999)</translation>
    </message>
    <message>
        <source>no answer within %1 s</source>
        <translation>keine Antwort innerhalb von %1 s</translation>
    </message>
    <message>
        <source>an empty command is not sent</source>
        <translation>ein leerer Befehl wird nicht gesendet</translation>
    </message>
    <message>
        <source>a command to HAProxy&apos;s admin socket must be one line: &quot;%1&quot;</source>
        <translation>ein Befehl an den Admin-Socket von HAProxy muss eine einzige Zeile sein: &quot;%1&quot;</translation>
    </message>
    <message>
        <source>connection refused (is HAProxy running?)</source>
        <translation>Verbindung abgelehnt (läuft HAProxy?)</translation>
    </message>
    <message>
        <source>no socket at that path</source>
        <translation>kein Socket unter diesem Pfad</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>Zugriff verweigert</translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket %1: %2</source>
        <translation>Admin-Socket %1 von HAProxy: %2</translation>
    </message>
    <message>
        <source>not a &quot;show info&quot; reply</source>
        <translation>keine Antwort auf &quot;show info&quot;</translation>
    </message>
    <message>
        <source>HAProxy did not answer &quot;%1&quot;</source>
        <translation>HAProxy hat auf &quot;%1&quot; nicht geantwortet</translation>
    </message>
    <message>
        <source>HTTP port (default: the ELB&apos;s http transport in axis2/axis2.xml beside the file, else 8280).</source>
        <translation>HTTP-Port (Standard: der http-Transport des ELB in axis2/axis2.xml neben der Datei, sonst 8280).</translation>
    </message>
    <message>
        <source>HTTPS port (default: the ELB&apos;s https transport beside the file, else 8243).</source>
        <translation>HTTPS-Port (Standard: der https-Transport des ELB neben der Datei, sonst 8243).</translation>
    </message>
    <message>
        <source>the reply is larger than %1 MB; this is not HAProxy answering, or not the command asked</source>
        <translation>die Antwort ist größer als %1 MB; hier antwortet nicht HAProxy oder nicht auf den gesendeten Befehl</translation>
    </message>
    <message>
        <source>no complete answer within %1 s</source>
        <translation>keine vollständige Antwort innerhalb von %1 s</translation>
    </message>
</context>
<context>
    <name>Tribune::HistoryRecorder</name>
    <message>
        <source>no history is kept: %1</source>
        <translation>es wird kein Verlauf geführt: %1</translation>
    </message>
</context>
<context>
    <name>Tribune::HistoryStore</name>
    <message>
        <source>Could not add an event to the history</source>
        <translation>Ereignis konnte nicht zum Verlauf hinzugefügt werden</translation>
    </message>
    <message>
        <source>the event has no time</source>
        <translation>das Ereignis hat keinen Zeitstempel</translation>
    </message>
    <message>
        <source>Could not read events from the history</source>
        <translation>Ereignisse konnten nicht aus dem Verlauf gelesen werden</translation>
    </message>
    <message>
        <source>Could not add samples to the history</source>
        <translation>Messwerte konnten nicht zum Verlauf hinzugefügt werden</translation>
    </message>
    <message>
        <source>a sample of member &apos;%1&apos; has no time</source>
        <translation>ein Messwert von Mitglied &apos;%1&apos; hat keinen Zeitstempel</translation>
    </message>
    <message>
        <source>Could not read samples from the history</source>
        <translation>Messwerte konnten nicht aus dem Verlauf gelesen werden</translation>
    </message>
    <message>
        <source>Could not compact the history</source>
        <translation>Verlauf konnte nicht verdichtet werden</translation>
    </message>
    <message>
        <source>no time was given</source>
        <translation>es wurde keine Zeit angegeben</translation>
    </message>
    <message>
        <source>Could not create the history&apos;s tables</source>
        <translation>Tabellen des Verlaufs konnten nicht angelegt werden</translation>
    </message>
    <message>
        <source>the driver gave no reason</source>
        <translation>der Treiber hat keinen Grund genannt</translation>
    </message>
    <message>
        <source>Use sqlite:///path/history.sqlite, mysql://user:password@host:port/database, mariadb://... or postgresql://...; write characters such as @ : / in the user or password as %40 %3A %2F.</source>
        <translation>Verwenden Sie sqlite:///path/history.sqlite, mysql://user:password@host:port/database, mariadb://... oder postgresql://...; schreiben Sie Zeichen wie @ : / in Benutzer oder Passwort als %40 %3A %2F.</translation>
    </message>
    <message>
        <source>Could not create the folder %1 for the history.</source>
        <translation>Der Ordner %1 für den Verlauf konnte nicht angelegt werden.</translation>
    </message>
    <message>
        <source>the SQLite database %1</source>
        <translation>die SQLite-Datenbank %1</translation>
    </message>
    <message>
        <source>The history URL %1 is not valid (%2). %3</source>
        <translation>Die Verlaufs-URL %1 ist ungültig (%2). %3</translation>
    </message>
    <message>
        <source>The history URL %1 names no file. %2</source>
        <translation>Die Verlaufs-URL %1 nennt keine Datei. %2</translation>
    </message>
    <message>
        <source>Qt&apos;s MySQL/MariaDB driver (QMYSQL) is not installed, so the history at %1 cannot be opened. Install it with: sudo apt-get install libqt6sql6-mysql</source>
        <translation>Der MySQL/MariaDB-Treiber von Qt (QMYSQL) ist nicht installiert, daher kann der Verlauf unter %1 nicht geöffnet werden. Installieren Sie ihn mit: sudo apt-get install libqt6sql6-mysql</translation>
    </message>
    <message>
        <source>Qt&apos;s PostgreSQL driver (QPSQL) is not installed, so the history at %1 cannot be opened. Install it with: sudo apt-get install libqt6sql6-psql</source>
        <translation>Der PostgreSQL-Treiber von Qt (QPSQL) ist nicht installiert, daher kann der Verlauf unter %1 nicht geöffnet werden. Installieren Sie ihn mit: sudo apt-get install libqt6sql6-psql</translation>
    </message>
    <message>
        <source>The history location %1 is not a URL: it has no scheme such as sqlite: or mysql:. %2</source>
        <translation>Der Speicherort des Verlaufs %1 ist keine URL: Es fehlt ein Schema wie sqlite: oder mysql:. %2</translation>
    </message>
    <message>
        <source>The history URL %1 has an unknown scheme &apos;%2&apos;. %3</source>
        <translation>Die Verlaufs-URL %1 hat ein unbekanntes Schema &apos;%2&apos;. %3</translation>
    </message>
    <message>
        <source>The history URL %1 needs a host and a database name. %2</source>
        <translation>Die Verlaufs-URL %1 braucht einen Host und einen Datenbanknamen. %2</translation>
    </message>
    <message>
        <source>the %1 database &apos;%2&apos; on %3 (user &apos;%4&apos;)</source>
        <translation>die %1-Datenbank &apos;%2&apos; auf %3 (Benutzer &apos;%4&apos;)</translation>
    </message>
    <message>
        <source>Could not open %1: %2</source>
        <translation>%1 konnte nicht geöffnet werden: %2</translation>
    </message>
    <message>
        <source>%1 in %2: %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>Could not set up the history (%1)</source>
        <translation>Verlauf konnte nicht eingerichtet werden (%1)</translation>
    </message>
    <message>
        <source>Could not read &apos;%1&apos; of the history</source>
        <translation>&apos;%1&apos; des Verlaufs konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>the table tribune_meta has no such row</source>
        <translation>die Tabelle tribune_meta hat keine solche Zeile</translation>
    </message>
    <message>
        <source>Could not use the history</source>
        <translation>Verlauf konnte nicht verwendet werden</translation>
    </message>
    <message>
        <source>it has schema version %1, written by a newer Tribune; this one knows versions up to %2</source>
        <translation>er hat die Schemaversion %1, geschrieben von einem neueren Tribune; diese Version kennt Schemaversionen bis %2</translation>
    </message>
    <message>
        <source>Could not list the history&apos;s tables</source>
        <translation>Tabellen des Verlaufs konnten nicht aufgelistet werden</translation>
    </message>
    <message>
        <source>There is no data folder to keep the history in.</source>
        <translation>Es gibt keinen Datenordner für den Verlauf.</translation>
    </message>
    <message>
        <source>Could not read what the history holds</source>
        <translation>Inhalt des Verlaufs konnte nicht gelesen werden</translation>
    </message>
    <message>
        <source>the connection to the database was lost (%1); check that the database server runs, then connect to the cluster again</source>
        <translation>die Verbindung zur Datenbank ist abgebrochen (%1); prüfen Sie, ob der Datenbankserver läuft, und verbinden Sie sich dann erneut mit dem Cluster</translation>
    </message>
    <message>
        <source>Could not add events to the history</source>
        <translation>Ereignisse konnten nicht zum Verlauf hinzugefügt werden</translation>
    </message>
</context>
<context>
    <name>Tribune::HostModel</name>
    <message>
        <source>cannot read the file: %1</source>
        <translation>Datei kann nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>the file is %1 bytes, more than the %2 a hosts or servers file may have</source>
        <translation>die Datei ist %1 Bytes groß, mehr als die %2, die eine hosts- oder servers-Datei haben darf</translation>
    </message>
    <message>
        <source>the file is larger than %1 bytes</source>
        <translation>die Datei ist größer als %1 Bytes</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IPv4 or IPv6 address; a hosts line is ADDRESS NAME...</source>
        <translation>&quot;%1&quot; ist keine IPv4- oder IPv6-Adresse; eine hosts-Zeile lautet ADDRESS NAME...</translation>
    </message>
    <message>
        <source>the address %1 names no host; write the names after it</source>
        <translation>die Adresse %1 nennt keinen Host; schreiben Sie die Namen dahinter</translation>
    </message>
    <message>
        <source>more than %1 names on one line</source>
        <translation>mehr als %1 Namen in einer Zeile</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a host name (letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;, at most %2 characters)</source>
        <translation>&quot;%1&quot; ist kein Hostname (Buchstaben, Ziffern, &apos;-&apos;, &apos;_&apos; und &apos;.&apos;, höchstens %2 Zeichen)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is neither an address nor a host name; a servers line is ADDRESS FOLDER...</source>
        <translation>&quot;%1&quot; ist weder eine Adresse noch ein Hostname; eine servers-Zeile lautet ADDRESS FOLDER...</translation>
    </message>
    <message>
        <source>server %1 names no node folder; write the folders on it after the address</source>
        <translation>Server %1 nennt keinen Knotenordner; schreiben Sie die Ordner auf diesem Server hinter die Adresse</translation>
    </message>
    <message>
        <source>folder %1 is already placed on line %2; a node is on one server</source>
        <translation>Ordner %1 ist bereits in Zeile %2 zugeordnet; ein Knoten liegt auf genau einem Server</translation>
    </message>
    <message>
        <source>more than %1 folders on one line</source>
        <translation>mehr als %1 Ordner in einer Zeile</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a folder name: name the node&apos;s folder in the cluster folder, without a path</source>
        <translation>&quot;%1&quot; ist kein Ordnername: Nennen Sie den Ordner des Knotens im Cluster-Ordner, ohne Pfad</translation>
    </message>
</context>
<context>
    <name>Tribune::KeyRing</name>
    <message>
        <source>Cannot read the key file %1 (%2): check the path, and that you may read the file.</source>
        <translation>Die Schlüsseldatei %1 kann nicht gelesen werden (%2): Prüfen Sie den Pfad und ob Sie die Datei lesen dürfen.</translation>
    </message>
    <message>
        <source>The key file %1 can be read by other users, so its keys are no secret: run &quot;chmod 600 %1&quot; and try again.</source>
        <translation>Die Schlüsseldatei %1 ist für andere Benutzer lesbar, ihre Schlüssel sind also nicht geheim: Führen Sie &quot;chmod 600 %1&quot; aus und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>%1:%2: expected &quot;member|console|viewer = &lt;base64 key of at least 16 bytes&gt;&quot;</source>
        <translation>%1:%2: &quot;member|console|viewer = &lt;Base64-Schlüssel mit mindestens 16 Bytes&gt;&quot; erwartet</translation>
    </message>
    <message>
        <source>%1: the key file holds no key</source>
        <translation>%1: Die Schlüsseldatei enthält keinen Schlüssel</translation>
    </message>
    <message>
        <source>%1: cannot write the key file: %2</source>
        <translation>%1: Schlüsseldatei kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::LiveCluster</name>
    <message>
        <source>no longer in the view</source>
        <translation>nicht mehr in der Sicht</translation>
    </message>
    <message>
        <source>load balancer: %1 → %2 (%3)</source>
        <translation>Load Balancer: %1 → %2 (%3)</translation>
    </message>
    <message>
        <source>%1 (was %2)</source>
        <translation>%1 (vorher %2)</translation>
    </message>
    <message>
        <source>load balancer: server %1 added to %2 (%3), no agent behind it</source>
        <translation>Load Balancer: Server %1 zu %2 hinzugefügt (%3), kein Agent dahinter</translation>
    </message>
    <message>
        <source>load balancer: server %1 removed from %2</source>
        <translation>Load Balancer: Server %1 aus %2 entfernt</translation>
    </message>
</context>
<context>
    <name>Tribune::LiveClusterModel</name>
    <message>
        <source>Load balancer</source>
        <translation>Load Balancer</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Membership</source>
        <translation>Membership</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sitzungen</translation>
    </message>
    <message>
        <source>Req/s</source>
        <translation>Anfr./s</translation>
    </message>
    <message>
        <source>Resp. ms</source>
        <translation>Antw. ms</translation>
    </message>
    <message>
        <source>not a server</source>
        <translation>kein Server</translation>
    </message>
    <message>
        <source>%1/%2 up</source>
        <translation>%1/%2 aktiv</translation>
    </message>
    <message>
        <source>Member · HTTP/HTTPS</source>
        <translation>Mitglied · HTTP/HTTPS</translation>
    </message>
    <message>
        <source>removed from the load balancer</source>
        <translation>aus dem Load Balancer entfernt</translation>
    </message>
    <message>
        <source>frontend</source>
        <translation>Frontend</translation>
    </message>
    <message>
        <source>no agent</source>
        <translation>kein Agent</translation>
    </message>
    <message>
        <source>no statistics: %1</source>
        <translation>keine Statistik: %1</translation>
    </message>
</context>
<context>
    <name>Tribune::LiveConfigFetch</name>
    <message>
        <source>%1: refused: %2</source>
        <translation>%1: abgelehnt: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: not read, the member is %2</source>
        <translation>%1: nicht gelesen, das Mitglied ist %2</translation>
    </message>
    <message>
        <source>the view holds %1 members, more than the %2 read at once</source>
        <translation>die Sicht enthält %1 Mitglieder, mehr als die %2, die auf einmal gelesen werden</translation>
    </message>
    <message>
        <source>%1: not read: %2</source>
        <translation>%1: nicht gelesen: %2</translation>
    </message>
    <message>
        <source>%1: refused file name &quot;%2&quot;</source>
        <translation>%1: Dateiname &quot;%2&quot; abgelehnt</translation>
    </message>
    <message>
        <source>%1: more than %2 bytes of files in all; the rest is not read</source>
        <translation>%1: insgesamt mehr als %2 Bytes an Dateien; der Rest wird nicht gelesen</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: Schreiben nicht möglich: %2</translation>
    </message>
    <message>
        <source>a member calls itself &quot;%1&quot;, which cannot name a folder; not read</source>
        <translation>ein Mitglied nennt sich &quot;%1&quot;, was keinen Ordner benennen kann; nicht gelesen</translation>
    </message>
</context>
<context>
    <name>Tribune::LivePages</name>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>removed from the load balancer</source>
        <translation>aus dem Load Balancer entfernt</translation>
    </message>
    <message>
        <source>not a server</source>
        <translation>kein Server</translation>
    </message>
    <message>
        <source>%1 in %2, check %3, weight %4, since %5</source>
        <translation>%1 in %2, Check %3, Gewicht %4, seit %5</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>%1 sessions, %2 req/s, in %3 kB/s, out %4 kB/s</source>
        <translation>%1 Sitzungen, %2 Anfragen/s, eingehend %3 kB/s, ausgehend %4 kB/s</translation>
    </message>
    <message>
        <source>Frontend %1</source>
        <translation>Frontend %1</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Traffic in</source>
        <translation>Eingehender Datenverkehr</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>Backend</translation>
    </message>
    <message>
        <source>Load balancer</source>
        <translation>Load Balancer</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>Datenverkehr</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>none: only the load balancer knows this server. Run tribune-agent on it to see its membership, health and configuration here.</source>
        <translation>keiner: Nur der Load Balancer kennt diesen Server. Starten Sie tribune-agent darauf, um hier seine Membership, seinen Zustand und seine Konfiguration zu sehen.</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Domain</translation>
    </message>
    <message>
        <source>Membership</source>
        <translation>Membership</translation>
    </message>
    <message>
        <source>%1 since %2%3</source>
        <translation>%1 seit %2%3</translation>
    </message>
    <message>
        <source>Host and ports</source>
        <translation>Host und Ports</translation>
    </message>
    <message>
        <source>%1, membership %2, HTTP %3, HTTPS %4 (offset %5)</source>
        <translation>%1, Membership %2, HTTP %3, HTTPS %4 (Offset %5)</translation>
    </message>
    <message>
        <source>Port mappings</source>
        <translation>Port-Zuordnungen</translation>
    </message>
    <message>
        <source>Incarnation</source>
        <translation>Inkarnation</translation>
    </message>
    <message>
        <source>%1 (started %2)</source>
        <translation>%1 (gestartet %2)</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>up %1, CPU %2 %, RSS %3</source>
        <translation>Laufzeit %1, CPU %2 %, RSS %3</translation>
    </message>
    <message>
        <source>no report yet</source>
        <translation>noch kein Bericht</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>noch keine</translation>
    </message>
    <message>
        <source>%1 alive</source>
        <translation>%1 aktiv</translation>
    </message>
    <message>
        <source>%1 suspect</source>
        <translation>%1 verdächtig</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 ausgefallen</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 ausgetreten</translation>
    </message>
    <message>
        <source>%1 without an agent</source>
        <translation>%1 ohne Agent</translation>
    </message>
    <message>
        <source>%1 serving</source>
        <translation>%1 in Betrieb</translation>
    </message>
    <message>
        <source>%1 DOWN</source>
        <translation>%1 DOWN</translation>
    </message>
    <message>
        <source>%1 drained or in maintenance</source>
        <translation>%1 geleert (Drain) oder in Wartung</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Frontends</source>
        <translation>Frontends</translation>
    </message>
    <message>
        <source>no servers</source>
        <translation>keine Server</translation>
    </message>
    <message>
        <source>%1 req/s, %2 sessions</source>
        <translation>%1 Anfragen/s, %2 Sitzungen</translation>
    </message>
    <message>
        <source>%1 (%2 req/s, %3 sessions)</source>
        <translation>%1 (%2 Anfragen/s, %3 Sitzungen)</translation>
    </message>
    <message>
        <source>Busiest</source>
        <translation>Höchste Last</translation>
    </message>
    <message>
        <source>no traffic now</source>
        <translation>derzeit kein Datenverkehr</translation>
    </message>
    <message>
        <source>%1 %2 %3: %4</source>
        <translation>%1 %2 %3: %4</translation>
    </message>
    <message>
        <source>Recent problems</source>
        <translation>Letzte Probleme</translation>
    </message>
    <message>
        <source>none in the event log</source>
        <translation>keine im Ereignisprotokoll</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Diagramme</translation>
    </message>
    <message>
        <source>Probe round trips</source>
        <translation>Probe-Umlaufzeiten</translation>
    </message>
</context>
<context>
    <name>Tribune::LiveSession</name>
    <message>
        <source>history: %1</source>
        <translation>Verlauf: %1</translation>
    </message>
    <message>
        <source>the viewer key is read-only; connect with the console key to change members</source>
        <translation>der Betrachterschlüssel erlaubt nur Lesen; verbinden Sie sich mit dem Konsolenschlüssel, um Mitglieder zu ändern</translation>
    </message>
    <message>
        <source>no load balancer admin socket was given (--lb-socket)</source>
        <translation>es wurde kein Admin-Socket des Load Balancers angegeben (--lb-socket)</translation>
    </message>
    <message>
        <source>the flight recorder</source>
        <translation>Flugschreiber</translation>
    </message>
    <message>
        <source>the cluster and the minutes before this %1: %2</source>
        <translation>der Cluster und die Minuten vor diesem Ereignis (%1): %2</translation>
    </message>
    <message>
        <source>no snapshot of this %1: %2</source>
        <translation>kein Snapshot zu diesem Ereignis (%1): %2</translation>
    </message>
</context>
<context>
    <name>Tribune::LiveView</name>
    <message>
        <source>All events</source>
        <translation>Alle Ereignisse</translation>
    </message>
    <message>
        <source>Search events</source>
        <translation>Ereignisse durchsuchen</translation>
    </message>
    <message>
        <source>not a server</source>
        <translation>kein Server</translation>
    </message>
    <message>
        <source>Drain</source>
        <translation>Leeren (Drain)</translation>
    </message>
    <message>
        <source>Put in maintenance</source>
        <translation>In Wartung versetzen</translation>
    </message>
    <message>
        <source>%1 %2 member(s)? They stop taking new traffic:
%3</source>
        <translation>%2 Mitglied(er): %1? Diese nehmen danach keinen neuen Datenverkehr mehr an:
%3</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation>Wartung</translation>
    </message>
    <message>
        <source>Set Weight…</source>
        <translation>Gewicht festlegen…</translation>
    </message>
    <message>
        <source>Set Weight</source>
        <translation>Gewicht festlegen</translation>
    </message>
    <message>
        <source>Weight, in percent of the initial weight:</source>
        <translation>Gewicht in Prozent des Anfangsgewichts:</translation>
    </message>
    <message>
        <source>Add a Node Like This One…</source>
        <translation>Knoten wie diesen hinzufügen…</translation>
    </message>
    <message>
        <source>Add a Node to This Sub-domain…</source>
        <translation>Knoten zu dieser Subdomain hinzufügen…</translation>
    </message>
    <message>
        <source>New Sub-domain…</source>
        <translation>Neue Subdomain…</translation>
    </message>
    <message>
        <source>Configure…</source>
        <translation>Konfigurieren…</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Filter members, domains, states… (Ctrl+F)</source>
        <translation>Mitglieder, Domains, Status filtern… (Strg+F)</translation>
    </message>
    <message>
        <source>The charts stack this sub-domain&apos;s members, one colour each.</source>
        <translation>Die Diagramme stapeln die Mitglieder dieser Subdomain, jedes in einer eigenen Farbe.</translation>
    </message>
    <message>
        <source>The charts sum the members below this row.</source>
        <translation>Die Diagramme summieren die Mitglieder unterhalb dieser Zeile.</translation>
    </message>
    <message>
        <source>Connect with a well-known member too: a new node is configured through the agents</source>
        <translation>Verbinden Sie sich auch mit einem Well-Known Member: Ein neuer Knoten wird über die Agenten konfiguriert</translation>
    </message>
</context>
<context>
    <name>Tribune::LoadBalancerLink</name>
    <message>
        <source>drain</source>
        <translation>Drain</translation>
    </message>
    <message>
        <source>maintenance</source>
        <translation>Wartung</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>set to %1</source>
        <translation>auf %1 gesetzt</translation>
    </message>
    <message>
        <source>setting %1 failed: %2</source>
        <translation>Setzen auf %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>weight set to %1</source>
        <translation>Gewicht auf %1 gesetzt</translation>
    </message>
    <message>
        <source>setting the weight failed: %1</source>
        <translation>Setzen des Gewichts fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>not set to %1: the load balancer has no server for this member</source>
        <translation>nicht auf %1 gesetzt: Der Load Balancer hat keinen Server für dieses Mitglied</translation>
    </message>
    <message>
        <source>weight not set: the load balancer has no server for this member</source>
        <translation>Gewicht nicht gesetzt: Der Load Balancer hat keinen Server für dieses Mitglied</translation>
    </message>
</context>
<context>
    <name>Tribune::MainWindow</name>
    <message>
        <source>Tribune</source>
        <translation>Tribune</translation>
    </message>
    <message>
        <source>&amp;Cluster</source>
        <translation>&amp;Cluster</translation>
    </message>
    <message>
        <source>&amp;Open Cluster Folder…</source>
        <translation>Cluster-&amp;Ordner öffnen…</translation>
    </message>
    <message>
        <source>&amp;Reload and Validate</source>
        <translation>&amp;Neu laden und prüfen</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Expand All</source>
        <translation>Alle &amp;aufklappen</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <source>Open Cluster Folder</source>
        <translation>Cluster-Ordner öffnen</translation>
    </message>
    <message>
        <source>Cannot Open Cluster</source>
        <translation>Cluster kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>%1 — Tribune</source>
        <translation>%1 — Tribune</translation>
    </message>
    <message>
        <source>Configuration files</source>
        <translation>Konfigurationsdateien</translation>
    </message>
    <message>
        <source>Live cluster</source>
        <translation>Live-Cluster</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>&amp;Verbinden…</translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation>Ctrl+K</translation>
    </message>
    <message>
        <source>&amp;Forget Departed Members</source>
        <translation>Ausgeschiedene Mitglieder &amp;vergessen</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 ausgefallen: %2</translation>
    </message>
    <message>
        <source>Member failed</source>
        <translation>Mitglied ausgefallen</translation>
    </message>
    <message>
        <source>membership %1</source>
        <translation>Membership %1</translation>
    </message>
    <message>
        <source>load balancer %1</source>
        <translation>Load Balancer %1</translation>
    </message>
    <message>
        <source>health from %1 of %2 members</source>
        <translation>Zustand von %1 der %2 Mitglieder</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>Ein&amp;stellungen…</translation>
    </message>
    <message>
        <source>Check the R&amp;unning Cluster&apos;s Files</source>
        <translation>Dateien des la&amp;ufenden Clusters prüfen</translation>
    </message>
    <message>
        <source>Read every member&apos;s configuration files from its agent and validate the whole running cluster</source>
        <translation>Die Konfigurationsdateien jedes Mitglieds über seinen Agenten lesen und den gesamten laufenden Cluster prüfen</translation>
    </message>
    <message>
        <source>Reading every member&apos;s files from its agent…</source>
        <translation>Dateien jedes Mitglieds werden über seinen Agenten gelesen…</translation>
    </message>
    <message>
        <source>Some Members&apos; Files Were Not Read</source>
        <translation>Dateien einiger Mitglieder wurden nicht gelesen</translation>
    </message>
    <message>
        <source>Cannot Read the Running Cluster</source>
        <translation>Laufender Cluster kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>&amp;Add a Node…</source>
        <translation>Knoten &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Cannot Configure the Node</source>
        <translation>Knoten kann nicht konfiguriert werden</translation>
    </message>
    <message>
        <source>%1 did not send its files; it may have left the cluster.</source>
        <translation>%1 hat seine Dateien nicht gesendet; das Mitglied hat den Cluster möglicherweise verlassen.</translation>
    </message>
    <message>
        <source>E&amp;xport Snapshot…</source>
        <translation>Snapshot e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Write the running cluster to one file: members, health, HAProxy&apos;s view, every node&apos;s files (passwords redacted), findings, and the last events and samples</source>
        <translation>Den laufenden Cluster in eine Datei schreiben: Mitglieder, Zustand, Sicht von HAProxy, Dateien aller Knoten (Passwörter geschwärzt), Befunde sowie die letzten Ereignisse und Messwerte</translation>
    </message>
    <message>
        <source>Export Snapshot</source>
        <translation>Snapshot exportieren</translation>
    </message>
    <message>
        <source>Tribune snapshot (*.tribune-snapshot)</source>
        <translation>Tribune-Snapshot (*.tribune-snapshot)</translation>
    </message>
    <message>
        <source>Cannot Export a Snapshot</source>
        <translation>Snapshot kann nicht exportiert werden</translation>
    </message>
    <message>
        <source>Taking a snapshot of the running cluster…</source>
        <translation>Snapshot des laufenden Clusters wird erstellt…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Snapshot written: %1</source>
        <translation>Snapshot geschrieben: %1</translation>
    </message>
    <message>
        <source>No snapshot: %1</source>
        <translation>Kein Snapshot: %1</translation>
    </message>
    <message>
        <source>Co&amp;mpare With Snapshot…</source>
        <translation>Mit Snapshot ver&amp;gleichen…</translation>
    </message>
    <message>
        <source>What changed since a snapshot: members, each domain&apos;s traffic, every node&apos;s files, findings</source>
        <translation>Was sich seit einem Snapshot geändert hat: Mitglieder, Datenverkehr jeder Domain, Dateien aller Knoten, Befunde</translation>
    </message>
    <message>
        <source>Open S&amp;napshot…</source>
        <translation>Snapshot ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open a *.tribune-snapshot file in a window of its own, read-only</source>
        <translation>Eine *.tribune-snapshot-Datei schreibgeschützt in einem eigenen Fenster öffnen</translation>
    </message>
    <message>
        <source>Compare With Snapshot</source>
        <translation>Mit Snapshot vergleichen</translation>
    </message>
    <message>
        <source>Cannot Compare</source>
        <translation>Vergleich nicht möglich</translation>
    </message>
    <message>
        <source>Taking the running cluster&apos;s state to compare…</source>
        <translation>Aktueller Stand des laufenden Clusters wird für den Vergleich erfasst…</translation>
    </message>
    <message>
        <source>The running cluster could not be read: %1</source>
        <translation>Der laufende Cluster konnte nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>%1 wird gelesen…</translation>
    </message>
    <message>
        <source>running cluster</source>
        <translation>laufender Cluster</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Documentation</source>
        <translation>&amp;Dokumentation</translation>
    </message>
    <message>
        <source>&amp;About Tribune</source>
        <translation>Ü&amp;ber Tribune</translation>
    </message>
    <message>
        <source>About Tribune</source>
        <translation>Über Tribune</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Tribune %1&lt;/h3&gt;&lt;p&gt;A console for application-server clusters: the load balancer, the domains and their members, live; their configuration, validated and pushed; snapshots of it all.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Tribune %1&lt;/h3&gt;&lt;p&gt;Eine Konsole für Application-Server-Cluster: der Load Balancer, die Domains und ihre Mitglieder, live; ihre Konfiguration, geprüft und übertragen; Snapshots von allem.&lt;/p&gt;&lt;p&gt;Erstellt mit Qt %2.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Documentation</source>
        <translation>Dokumentation</translation>
    </message>
    <message>
        <source>The documentation is not installed here: it is the README.md and the docs folder of Tribune&apos;s sources.</source>
        <translation>Die Dokumentation ist hier nicht installiert: Sie besteht aus README.md und dem Ordner docs in den Quellen von Tribune.</translation>
    </message>
    <message>
        <source>No program here opens %1; open it with a text viewer.</source>
        <translation>Kein Programm auf diesem System öffnet %1; öffnen Sie die Datei mit einem Textbetrachter.</translation>
    </message>
    <message>
        <source>Connect with a well-known member too (Cluster › Connect…): this comes from the members&apos; agents</source>
        <translation>Verbinden Sie sich auch mit einem Well-Known Member (Cluster › Verbinden…): Diese Angaben stammen von den Agenten der Mitglieder</translation>
    </message>
    <message>
        <source>Connecting to %1… the connection shown stays until it answers.</source>
        <translation>Verbindung zu %1 wird hergestellt… Die angezeigte Verbindung bleibt bestehen, bis die neue antwortet.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbindung zu %1 wird hergestellt…</translation>
    </message>
    <message>
        <source>The connection shown before stays.</source>
        <translation>Die bisher angezeigte Verbindung bleibt bestehen.</translation>
    </message>
    <message>
        <source>Could not connect: %1</source>
        <translation>Verbindung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cannot Connect</source>
        <translation>Verbindung nicht möglich</translation>
    </message>
    <message>
        <source>Tribune could not connect to the cluster: %1.</source>
        <translation>Tribune konnte keine Verbindung zum Cluster herstellen: %1.</translation>
    </message>
    <message>
        <source>Check the address and port in Cluster › Connect…, and that the agent or HAProxy runs there.</source>
        <translation>Prüfen Sie Adresse und Port unter Cluster › Verbinden… und ob dort der Agent bzw. HAProxy läuft.</translation>
    </message>
    <message>
        <source>Some configuration files could not be read. The findings list each where it breaks; fix them and reload. The cluster shown before stays open.</source>
        <translation>Einige Konfigurationsdateien konnten nicht gelesen werden. Die Befunde nennen für jede Datei die fehlerhafte Stelle; beheben Sie die Fehler und laden Sie neu. Der zuvor angezeigte Cluster bleibt geöffnet.</translation>
    </message>
    <message>
        <source>%1 (%2) failed: %3</source>
        <translation>%1 (%2) ausgefallen: %3</translation>
    </message>
    <message>
        <source>%1: not connected</source>
        <translation>%1: nicht verbunden</translation>
    </message>
    <message>
        <source>%1: cannot connect: %2</source>
        <translation>%1: Verbindung nicht möglich: %2</translation>
    </message>
    <message>
        <source>%1: connected, waiting for data</source>
        <translation>%1: verbunden, wartet auf Daten</translation>
    </message>
    <message>
        <source>%1: no answer for %2 s</source>
        <translation>%1: seit %2 s keine Antwort</translation>
    </message>
    <message>
        <source>%1: confirmed %2 s ago</source>
        <translation>%1: vor %2 s bestätigt</translation>
    </message>
    <message>
        <source>F&amp;ull Screen</source>
        <translation>V&amp;ollbild</translation>
    </message>
</context>
<context>
    <name>Tribune::Member</name>
    <message>
        <source>alive</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>suspect</source>
        <translation>verdächtig</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>ausgefallen</translation>
    </message>
    <message>
        <source>left</source>
        <translation>ausgetreten</translation>
    </message>
</context>
<context>
    <name>Tribune::MetricSeries</name>
    <message numerus="yes">
        <source>%n other(s)</source>
        <translation>
            <numerusform>%n weiteres</numerusform>
            <numerusform>%n weitere</numerusform>
        </translation>
    </message>
    <message>
        <source>Requests per second</source>
        <translation>Anfragen pro Sekunde</translation>
    </message>
    <message>
        <source>Current sessions</source>
        <translation>Aktuelle Sitzungen</translation>
    </message>
    <message>
        <source>Bytes in per second</source>
        <translation>Bytes eingehend pro Sekunde</translation>
    </message>
    <message>
        <source>Bytes out per second</source>
        <translation>Bytes ausgehend pro Sekunde</translation>
    </message>
    <message>
        <source>5xx responses per second</source>
        <translation>5xx-Antworten pro Sekunde</translation>
    </message>
    <message>
        <source>Response time (ms)</source>
        <translation>Antwortzeit (ms)</translation>
    </message>
</context>
<context>
    <name>Tribune::NodeConfigStore</name>
    <message>
        <source>%1 is damaged or incomplete; the backup cannot be used</source>
        <translation>%1 ist beschädigt oder unvollständig; die Sicherung ist nicht verwendbar</translation>
    </message>
    <message>
        <source>simulated failure</source>
        <translation>simulierter Fehler</translation>
    </message>
    <message>
        <source>could not write the new version of %1: %2. Nothing was changed; check free space and permissions in %3 and try again.</source>
        <translation>die neue Version von %1 konnte nicht geschrieben werden: %2. Es wurde nichts geändert; prüfen Sie freien Speicherplatz und Berechtigungen in %3 und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>could not save %1 in backup %2: %3. Nothing was changed; check free space and permissions in %4 and try again.</source>
        <translation>%1 konnte nicht in Sicherung %2 gespeichert werden: %3. Es wurde nichts geändert; prüfen Sie freien Speicherplatz und Berechtigungen in %4 und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>could not replace %1: %2. The files already replaced were put back, so nothing was changed; check permissions and free space in %3 and try again.</source>
        <translation>%1 konnte nicht ersetzt werden: %2. Die bereits ersetzten Dateien wurden wiederhergestellt, es wurde also nichts geändert; prüfen Sie Berechtigungen und freien Speicherplatz in %3 und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>could not replace %1: %2, and putting back the files already replaced failed too: %3. The configuration is now partly changed; copy the files of backup %4 (%5) back into repository/conf by hand.</source>
        <translation>%1 konnte nicht ersetzt werden: %2, und auch das Wiederherstellen der bereits ersetzten Dateien ist fehlgeschlagen: %3. Die Konfiguration ist jetzt teilweise geändert; kopieren Sie die Dateien der Sicherung %4 (%5) von Hand zurück nach repository/conf.</translation>
    </message>
    <message>
        <source>cannot prepare the backups and the audit log: %1. Nothing was changed; make %2 writable for the agent and try again.</source>
        <translation>Sicherungen und Audit-Log können nicht vorbereitet werden: %1. Es wurde nichts geändert; machen Sie %2 für den Agenten beschreibbar und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>the files were replaced (backup %1 holds the previous versions), but %2. A crash now could lose the change; check the disk&apos;s health.</source>
        <translation>die Dateien wurden ersetzt (Sicherung %1 enthält die vorherigen Versionen), aber %2. Bei einem Absturz könnte die Änderung jetzt verloren gehen; prüfen Sie den Zustand des Datenträgers.</translation>
    </message>
    <message>
        <source>the files were replaced (backup %1 holds the previous versions), but the audit log could not be written: %2. Check free space and add the change to %3 by hand.</source>
        <translation>die Dateien wurden ersetzt (Sicherung %1 enthält die vorherigen Versionen), aber das Audit-Log konnte nicht geschrieben werden: %2. Prüfen Sie den freien Speicherplatz und tragen Sie die Änderung von Hand in %3 ein.</translation>
    </message>
    <message>
        <source>cannot inspect %1: %2</source>
        <translation>%1 kann nicht untersucht werden: %2</translation>
    </message>
    <message>
        <source>cannot create %1: %2</source>
        <translation>%1 kann nicht angelegt werden: %2</translation>
    </message>
    <message>
        <source>cannot set the owner of %1: %2</source>
        <translation>Eigentümer von %1 kann nicht gesetzt werden: %2</translation>
    </message>
    <message>
        <source>cannot set the permissions of %1: %2</source>
        <translation>Berechtigungen von %1 können nicht gesetzt werden: %2</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>cannot flush %1 to disk: %2</source>
        <translation>%1 kann nicht auf den Datenträger synchronisiert werden: %2</translation>
    </message>
    <message>
        <source>cannot close %1: %2</source>
        <translation>%1 kann nicht geschlossen werden: %2</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>cannot flush folder %1 to disk: %2</source>
        <translation>Ordner %1 kann nicht auf den Datenträger synchronisiert werden: %2</translation>
    </message>
    <message>
        <source>cannot rename %1 to %2: %3</source>
        <translation>%1 kann nicht in %2 umbenannt werden: %3</translation>
    </message>
    <message>
        <source>cannot remove %1: %2</source>
        <translation>%1 kann nicht entfernt werden: %2</translation>
    </message>
    <message>
        <source>%1 exists but is not a folder</source>
        <translation>%1 existiert, ist aber kein Ordner</translation>
    </message>
    <message>
        <source>cannot create folder %1: %2</source>
        <translation>Ordner %1 kann nicht angelegt werden: %2</translation>
    </message>
    <message>
        <source>cannot append to %1: %2</source>
        <translation>an %1 kann nicht angehängt werden: %2</translation>
    </message>
    <message>
        <source>cannot open %1 for appending: %2</source>
        <translation>%1 kann nicht zum Anhängen geöffnet werden: %2</translation>
    </message>
    <message>
        <source>cannot create the agent&apos;s folder: %1. Make the node&apos;s CARBON_HOME writable for the agent and try again.</source>
        <translation>Der Ordner des Agenten kann nicht angelegt werden: %1. Machen Sie das CARBON_HOME des Knotens für den Agenten beschreibbar und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>another change to this node is in progress (lock file %1); wait for it to finish and try again</source>
        <translation>eine andere Änderung an diesem Knoten läuft gerade (Sperrdatei %1); warten Sie, bis sie abgeschlossen ist, und versuchen Sie es erneut</translation>
    </message>
    <message>
        <source>cannot create the lock file %1; make %2 writable for the agent and try again</source>
        <translation>die Sperrdatei %1 kann nicht angelegt werden; machen Sie %2 für den Agenten beschreibbar und versuchen Sie es erneut</translation>
    </message>
    <message>
        <source>%1. Nothing was changed; give the agent read access to the node&apos;s configuration and try again.</source>
        <translation>%1. Es wurde nichts geändert; geben Sie dem Agenten Lesezugriff auf die Konfiguration des Knotens und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>%1 is not a node: neither it nor its repository/conf holds axis2/axis2.xml or carbon.xml. Point the agent at the node&apos;s CARBON_HOME.</source>
        <translation>%1 ist kein Knoten: Weder der Ordner selbst noch sein repository/conf enthält axis2/axis2.xml oder carbon.xml. Verweisen Sie den Agenten auf das CARBON_HOME des Knotens.</translation>
    </message>
    <message>
        <source>the change names nobody as its actor; say who makes it, so the audit log can record it, and try again</source>
        <translation>die Änderung nennt niemanden als Urheber; geben Sie an, wer sie vornimmt, damit das Audit-Log es festhalten kann, und versuchen Sie es erneut</translation>
    </message>
    <message>
        <source>cannot create a temporary folder to validate the change: %1. Nothing was changed; free space in the temporary folder (or set TMPDIR) and try again.</source>
        <translation>Ein temporärer Ordner zum Prüfen der Änderung kann nicht angelegt werden: %1. Es wurde nichts geändert; schaffen Sie Platz im temporären Ordner (oder setzen Sie TMPDIR) und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>cannot copy %1 to %2 to validate the change: %3. Nothing was changed; free space in the temporary folder (or set TMPDIR) and try again.</source>
        <translation>%1 kann zum Prüfen der Änderung nicht nach %2 kopiert werden: %3. Es wurde nichts geändert; schaffen Sie Platz im temporären Ordner (oder setzen Sie TMPDIR) und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>the change was refused because the configuration would not parse; nothing was changed. Correct these and try again:
%1</source>
        <translation>die Änderung wurde abgelehnt, weil die Konfiguration nicht einlesbar wäre; es wurde nichts geändert. Korrigieren Sie Folgendes und versuchen Sie es erneut:
%1</translation>
    </message>
    <message>
        <source>%1: %2 (to fix: %3) [%4]</source>
        <translation>%1: %2 (Behebung: %3) [%4]</translation>
    </message>
    <message>
        <source>the change was refused because validating the node found %1; nothing was changed. Correct these and try again:
%2</source>
        <translation>die Änderung wurde abgelehnt, weil die Prüfung des Knotens %1 ergab; es wurde nichts geändert. Korrigieren Sie Folgendes und versuchen Sie es erneut:
%2</translation>
    </message>
    <message>
        <source>%1 and another file of the change are the same file, %2, through a symbolic link; change it under one name only</source>
        <translation>%1 und eine andere Datei der Änderung sind über einen symbolischen Link dieselbe Datei, %2; ändern Sie sie nur unter einem Namen</translation>
    </message>
    <message>
        <source>cannot roll back to backup %1: %2. Nothing was changed; choose another backup from the list.</source>
        <translation>Zurücksetzen auf Sicherung %1 nicht möglich: %2. Es wurde nichts geändert; wählen Sie eine andere Sicherung aus der Liste.</translation>
    </message>
    <message>
        <source>there is no folder %1</source>
        <translation>es gibt keinen Ordner %1</translation>
    </message>
    <message>
        <source>its copy of %1 no longer matches the sha256 in its manifest, so it was damaged</source>
        <translation>ihre Kopie von %1 stimmt nicht mehr mit dem sha256 in ihrem Manifest überein, sie wurde also beschädigt</translation>
    </message>
    <message>
        <source>the name is empty</source>
        <translation>der Name ist leer</translation>
    </message>
    <message>
        <source>it is an absolute path</source>
        <translation>der Name ist ein absoluter Pfad</translation>
    </message>
    <message>
        <source>it contains a backslash</source>
        <translation>der Name enthält einen Backslash</translation>
    </message>
    <message>
        <source>it contains a control character</source>
        <translation>der Name enthält ein Steuerzeichen</translation>
    </message>
    <message>
        <source>it has an empty part (&quot;//&quot; or a trailing &quot;/&quot;)</source>
        <translation>der Name hat einen leeren Teil (&quot;//&quot; oder ein abschließendes &quot;/&quot;)</translation>
    </message>
    <message>
        <source>it contains &quot;.&quot; or &quot;..&quot;</source>
        <translation>der Name enthält &quot;.&quot; oder &quot;..&quot;</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a file of repository/conf: %2. Name files by their path relative to repository/conf with &apos;/&apos; between folders, such as axis2/axis2.xml.</source>
        <translation>&quot;%1&quot; ist keine Datei in repository/conf: %2. Benennen Sie Dateien mit ihrem Pfad relativ zu repository/conf, mit &quot;/&quot; zwischen Ordnern, etwa axis2/axis2.xml.</translation>
    </message>
    <message>
        <source>%1: %2 is a symbolic link to %3, which is not inside %4; the agent only changes files inside repository/conf. Replace the link with the file itself.</source>
        <translation>%1: %2 ist ein symbolischer Link auf %3, das nicht in %4 liegt; der Agent ändert nur Dateien in repository/conf. Ersetzen Sie den Link durch die Datei selbst.</translation>
    </message>
    <message>
        <source>nothing that exists</source>
        <translation>nichts Existierendes</translation>
    </message>
    <message>
        <source>%1: %2 is not a folder, so the file cannot be placed there; choose another path or remove %2</source>
        <translation>%1: %2 ist kein Ordner, daher kann die Datei dort nicht abgelegt werden; wählen Sie einen anderen Pfad oder entfernen Sie %2</translation>
    </message>
    <message>
        <source>%1: %2 is not a regular file (it is a folder or a special file); the agent only reads and writes regular files. Remove it or choose another path.</source>
        <translation>%1: %2 ist keine reguläre Datei (sondern ein Ordner oder eine Spezialdatei); der Agent liest und schreibt nur reguläre Dateien. Entfernen Sie das Objekt oder wählen Sie einen anderen Pfad.</translation>
    </message>
    <message>
        <source>%1 is both written and removed by the change; do one</source>
        <translation>%1 wird durch die Änderung sowohl geschrieben als auch entfernt; wählen Sie eines von beiden</translation>
    </message>
    <message>
        <source>cannot read backup %1: %2. List the node&apos;s backups (config backups) and choose one of them.</source>
        <translation>Sicherung %1 kann nicht gelesen werden: %2. Lassen Sie die Sicherungen des Knotens auflisten (config backups) und wählen Sie eine davon.</translation>
    </message>
    <message>
        <source>could not write the change&apos;s journal %1: %2. Nothing was changed; check free space and permissions there and try again.</source>
        <translation>das Journal der Änderung, %1, konnte nicht geschrieben werden: %2. Es wurde nichts geändert; prüfen Sie dort freien Speicherplatz und Berechtigungen und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>could not record the folders the change creates in %1: %2. Nothing was changed; check free space and permissions there and try again.</source>
        <translation>die Liste der von der Änderung angelegten Ordner konnte nicht in %1 gespeichert werden: %2. Es wurde nichts geändert; prüfen Sie dort freien Speicherplatz und Berechtigungen und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>an interrupted change (backup %1) could not be completed: %2; copy the files of %3 back into repository/conf by hand</source>
        <translation>eine unterbrochene Änderung (Sicherung %1) konnte nicht abgeschlossen werden: %2; kopieren Sie die Dateien aus %3 von Hand zurück nach repository/conf</translation>
    </message>
    <message>
        <source>completed the change of backup %1 that a stop interrupted</source>
        <translation>die durch einen Stopp unterbrochene Änderung von Sicherung %1 wurde abgeschlossen</translation>
    </message>
    <message>
        <source>put back the files of backup %1: the change it began was interrupted</source>
        <translation>die Dateien von Sicherung %1 wurden wiederhergestellt: die damit begonnene Änderung war unterbrochen worden</translation>
    </message>
    <message numerus="yes">
        <source>removed %n file(s) left by interrupted changes</source>
        <translation>
            <numerusform>%n von unterbrochenen Änderungen hinterlassene Datei wurde entfernt</numerusform>
            <numerusform>%n von unterbrochenen Änderungen hinterlassene Dateien wurden entfernt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tribune::NodeDescription</name>
    <message>
        <source>load balancer</source>
        <translation>Load Balancer</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>Manager</translation>
    </message>
    <message>
        <source>worker</source>
        <translation>Worker</translation>
    </message>
    <message>
        <source>member</source>
        <translation>Mitglied</translation>
    </message>
    <message>
        <source>%1 (localMemberHost %2)</source>
        <translation>%1 (localMemberHost %2)</translation>
    </message>
    <message>
        <source>%1 (servers file, line %2)</source>
        <translation>%1 (servers-Datei, Zeile %2)</translation>
    </message>
    <message>
        <source>%1 resolves nowhere</source>
        <translation>%1 lässt sich nicht auflösen</translation>
    </message>
    <message>
        <source>unplaced: the files name no host and no servers file places it</source>
        <translation>nicht zugeordnet: Die Dateien nennen keinen Host, und keine servers-Datei ordnet den Knoten zu</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Domain</translation>
    </message>
    <message>
        <source>Sub-domain</source>
        <translation>Subdomain</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(Standard)</translation>
    </message>
    <message>
        <source>Clustering</source>
        <translation>Clustering</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>aktiviert</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>deaktiviert</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produkt</translation>
    </message>
    <message>
        <source>Membership</source>
        <translation>Membership</translation>
    </message>
    <message>
        <source>(any)</source>
        <translation>(beliebig)</translation>
    </message>
    <message>
        <source>Port offset</source>
        <translation>Port-Offset</translation>
    </message>
    <message>
        <source>HTTP / HTTPS</source>
        <translation>HTTP / HTTPS</translation>
    </message>
    <message>
        <source>Port mappings</source>
        <translation>Port-Zuordnungen</translation>
    </message>
    <message>
        <source>Well-known members</source>
        <translation>Well-Known Members</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>Member drop time</source>
        <translation>Mitglieder-Timeout</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Listening ports</source>
        <translation>Lauschende Ports</translation>
    </message>
    <message>
        <source>Local registry</source>
        <translation>Lokale Registry</translation>
    </message>
    <message>
        <source>Mount %1</source>
        <translation>Mount %1</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
</context>
<context>
    <name>Tribune::NodeDetailsPanel</name>
    <message>
        <source>No cluster open</source>
        <translation>Kein Cluster geöffnet</translation>
    </message>
    <message>
        <source>No problems found in this node&apos;s files.</source>
        <translation>Keine Probleme in den Dateien dieses Knotens gefunden.</translation>
    </message>
    <message>
        <source>%1 nodes — %2</source>
        <translation>%1 Knoten — %2</translation>
    </message>
    <message>
        <source>Fix:</source>
        <translation>Behebung:</translation>
    </message>
</context>
<context>
    <name>Tribune::NodeEditDialog</name>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Befund</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>Sicherung</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Wer</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>&amp;Roll Back to This Backup</source>
        <translation>Auf diese Sicherung &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>&amp;Push</source>
        <translation>Ü&amp;bertragen</translation>
    </message>
    <message>
        <source>Configure %1</source>
        <translation>%1 konfigurieren</translation>
    </message>
    <message>
        <source>Make the form&apos;s changes on these nodes of the sub-domain &amp;too:</source>
        <translation>Die Änderungen des Formulars &amp;auch auf diesen Knoten der Subdomain vornehmen:</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>Da&amp;tei:</translation>
    </message>
    <message>
        <source>What you write here is this node&apos;s file; the form&apos;s changes apply on top of it.</source>
        <translation>Was Sie hier schreiben, ist die Datei dieses Knotens; die Änderungen aus dem Formular werden darauf angewendet.</translation>
    </message>
    <message>
        <source>A rollback is itself kept as a backup, so it can be undone.</source>
        <translation>Ein Rollback wird selbst als Sicherung aufbewahrt und lässt sich daher rückgängig machen.</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>F&amp;iles</source>
        <translation>&amp;Dateien</translation>
    </message>
    <message>
        <source>&amp;Changes</source>
        <translation>Ä&amp;nderungen</translation>
    </message>
    <message>
        <source>&amp;Backups</source>
        <translation>&amp;Sicherungen</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>%1 (%2) did not take the files: %3</source>
        <translation>%1 (%2) hat die Dateien nicht angenommen: %3</translation>
    </message>
    <message>
        <source>The Node Has These Files</source>
        <translation>Der Knoten hat diese Dateien</translation>
    </message>
    <message>
        <source>&amp;Roll Back to Backup %1</source>
        <translation>Auf Sicherung %1 &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>%1. Reading the running cluster&apos;s files again…</source>
        <translation>%1. Dateien des laufenden Clusters werden erneut gelesen…</translation>
    </message>
    <message>
        <source>Cannot roll back: %1</source>
        <translation>Zurücksetzen nicht möglich: %1</translation>
    </message>
    <message>
        <source>The change landed, but the running cluster&apos;s files could not be read again: %1</source>
        <translation>Die Änderung wurde übernommen, aber die Dateien des laufenden Clusters konnten nicht erneut gelesen werden: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — member %2 · %3 / %4 · server %5</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — Mitglied %2 · %3 / %4 · Server %5</translation>
    </message>
    <message>
        <source>not live</source>
        <translation>nicht live</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(Standard)</translation>
    </message>
    <message>
        <source>The running cluster no longer has %1.</source>
        <translation>Der laufende Cluster enthält %1 nicht mehr.</translation>
    </message>
    <message>
        <source>%1, line %2 (%3)</source>
        <translation>%1, Zeile %2 (%3)</translation>
    </message>
    <message>
        <source>%1 is not a member of the running cluster: its files can be read and changes planned, not pushed. Connect, then Cluster › Check the Running Cluster&apos;s Files.</source>
        <translation>%1 ist kein Mitglied des laufenden Clusters: Seine Dateien können gelesen und Änderungen geplant, aber nicht übertragen werden. Verbinden Sie sich und wählen Sie dann Cluster › Dateien des laufenden Clusters prüfen.</translation>
    </message>
    <message>
        <source>Cannot push: %1</source>
        <translation>Übertragen nicht möglich: %1</translation>
    </message>
    <message>
        <source>Nothing changed yet.</source>
        <translation>Noch nichts geändert.</translation>
    </message>
    <message numerus="yes">
        <source>Push is disabled: the change would bring %n error(s) to the cluster.</source>
        <translation>
            <numerusform>Übertragen ist deaktiviert: Die Änderung würde %n Fehler in den Cluster bringen.</numerusform>
            <numerusform>Übertragen ist deaktiviert: Die Änderung würde %n Fehler in den Cluster bringen.</numerusform>
        </translation>
    </message>
    <message>
        <source>The cluster stays clean with this change.</source>
        <translation>Mit dieser Änderung bleibt der Cluster ohne Befund.</translation>
    </message>
    <message>
        <source>No error; read the warnings before you push.</source>
        <translation>Keine Fehler; lesen Sie vor dem Übertragen die Warnungen.</translation>
    </message>
    <message>
        <source>&amp;Changes (%1)</source>
        <translation>Ä&amp;nderungen (%1)</translation>
    </message>
    <message>
        <source>Pushing…</source>
        <translation>Wird übertragen…</translation>
    </message>
    <message>
        <source>Failed: %1. The Backups tab rolls a node back.</source>
        <translation>Fehlgeschlagen: %1. Auf der Registerkarte „Sicherungen“ lässt sich ein Knoten zurücksetzen.</translation>
    </message>
    <message>
        <source>Rolling %1 back to backup %2…</source>
        <translation>%1 wird auf Sicherung %2 zurückgesetzt…</translation>
    </message>
    <message>
        <source>No backups yet: the node&apos;s files were never changed through an agent.</source>
        <translation>Noch keine Sicherungen: Die Dateien des Knotens wurden nie über einen Agenten geändert.</translation>
    </message>
    <message>
        <source>%1 — but the files read back from the cluster do not parse: %2</source>
        <translation>%1 — aber die vom Cluster zurückgelesenen Dateien sind nicht einlesbar: %2</translation>
    </message>
    <message>
        <source>%1 It cannot be pushed: %2.</source>
        <translation>%1 Die Änderung kann nicht übertragen werden: %2.</translation>
    </message>
    <message>
        <source>A push is still under way; wait for it to finish.</source>
        <translation>Eine Übertragung läuft noch; warten Sie, bis sie abgeschlossen ist.</translation>
    </message>
    <message>
        <source>Wait: a push or rollback is under way; the dialog closes once it has ended.</source>
        <translation>Bitte warten: Eine Übertragung oder ein Rollback läuft; der Dialog schließt sich, sobald der Vorgang beendet ist.</translation>
    </message>
    <message>
        <source>Discard the Changes?</source>
        <translation>Änderungen verwerfen?</translation>
    </message>
    <message>
        <source>The changes to %1 have not been pushed. Close and discard them?</source>
        <translation>Die Änderungen an %1 wurden nicht übertragen. Schließen und verwerfen?</translation>
    </message>
    <message>
        <source>%1 — the form shows the node&apos;s files now.</source>
        <translation>%1 — das Formular zeigt jetzt die Dateien des Knotens.</translation>
    </message>
    <message>
        <source>%1 is not a member of the running cluster; it cannot be rolled back from here.</source>
        <translation>%1 ist kein Mitglied des laufenden Clusters und kann nicht von hier aus zurückgesetzt werden.</translation>
    </message>
    <message>
        <source>Roll Back %1?</source>
        <translation>%1 zurücksetzen?</translation>
    </message>
    <message>
        <source>Put back the files backup %1 saved on %2, as the diff below the list shows? What they replace is kept as a new backup.</source>
        <translation>Die Dateien wiederherstellen, die Sicherung %1 am %2 gespeichert hat, wie der Diff unter der Liste zeigt? Was sie ersetzen, wird als neue Sicherung aufbewahrt.</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner</name>
    <message>
        <source>no node &quot;%1&quot; to take as a template; the cluster&apos;s nodes are: %2</source>
        <translation>kein Knoten &quot;%1&quot;, der als Vorlage dienen könnte; die Knoten des Clusters sind: %2</translation>
    </message>
    <message>
        <source>host &quot;%1&quot; resolves nowhere; name it in the hosts file, or give its address</source>
        <translation>Host &quot;%1&quot; lässt sich nicht auflösen; tragen Sie ihn in die hosts-Datei ein oder geben Sie seine Adresse an</translation>
    </message>
    <message>
        <source>a node named &quot;%1&quot; exists already; give the new one another name</source>
        <translation>ein Knoten namens &quot;%1&quot; existiert bereits; geben Sie dem neuen einen anderen Namen</translation>
    </message>
    <message>
        <source>no port offset below %1 is free on server %2</source>
        <translation>auf Server %2 ist kein Port-Offset unter %1 frei</translation>
    </message>
    <message>
        <source>no node &quot;%1&quot;; the cluster&apos;s nodes are: %2</source>
        <translation>kein Knoten &quot;%1&quot;; die Knoten des Clusters sind: %2</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a valid value</source>
        <translation>%1: &quot;%2&quot; ist kein gültiger Wert</translation>
    </message>
    <message>
        <source>%1: the node has no such file</source>
        <translation>%1: Der Knoten hat keine solche Datei</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not FILE:KEY=VALUE, e.g. axis2.xml:localMemberPort=4010</source>
        <translation>&quot;%1&quot; hat nicht die Form FILE:KEY=VALUE, z. B. axis2.xml:localMemberPort=4010</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a file typed edits know; they are: %2</source>
        <translation>&quot;%1&quot; ist keine Datei, die typisierte Änderungen kennen; bekannt sind: %2</translation>
    </message>
    <message>
        <source>%1 has no key &quot;%2&quot; for typed edits; the keys are: %3</source>
        <translation>%1 hat keinen Schlüssel &quot;%2&quot; für typisierte Änderungen; die Schlüssel sind: %3</translation>
    </message>
    <message>
        <source>database %1 on %2:%3 as %4</source>
        <translation>Datenbank %1 auf %2:%3 als %4</translation>
    </message>
    <message>
        <source>%1 is not a MySQL or MariaDB URL; not checked</source>
        <translation>%1 ist keine MySQL- oder MariaDB-URL; nicht geprüft</translation>
    </message>
    <message>
        <source>Qt&apos;s MySQL driver (QMYSQL) is not installed: install libqt6sql6-mysql</source>
        <translation>Der MySQL-Treiber von Qt (QMYSQL) ist nicht installiert: Installieren Sie libqt6sql6-mysql</translation>
    </message>
    <message>
        <source>%1: the server refuses the user name or password; correct them in master-datasources.xml, or grant the user</source>
        <translation>%1: Der Server lehnt Benutzername oder Passwort ab; korrigieren Sie sie in master-datasources.xml oder erteilen Sie dem Benutzer Rechte</translation>
    </message>
    <message>
        <source>%1: the user may not use this database, or it does not exist; create it and grant the user (db check --create)</source>
        <translation>%1: Der Benutzer darf diese Datenbank nicht verwenden, oder sie existiert nicht; legen Sie sie an und erteilen Sie dem Benutzer Rechte (db check --create)</translation>
    </message>
    <message>
        <source>%1: there is no such database; create it (db check --create) and run dbscripts/mysql.sql</source>
        <translation>%1: Diese Datenbank gibt es nicht; legen Sie sie an (db check --create) und führen Sie dbscripts/mysql.sql aus</translation>
    </message>
    <message>
        <source>%1: cannot connect: %2</source>
        <translation>%1: Verbindung nicht möglich: %2</translation>
    </message>
    <message>
        <source>registry tables</source>
        <translation>Registry-Tabellen</translation>
    </message>
    <message>
        <source>user store tables</source>
        <translation>Benutzerspeicher-Tabellen</translation>
    </message>
    <message>
        <source>%1: ready (%2)</source>
        <translation>%1: bereit (%2)</translation>
    </message>
    <message>
        <source>%1: the database has no registry (REG_RESOURCE) or user store (UM_USER) tables; run dbscripts/mysql.sql in it, or start the first node with -Dsetup</source>
        <translation>%1: Die Datenbank hat keine Registry-Tabellen (REG_RESOURCE) oder Benutzerspeicher-Tabellen (UM_USER); führen Sie darin dbscripts/mysql.sql aus oder starten Sie den ersten Knoten mit -Dsetup</translation>
    </message>
    <message>
        <source>%1: not a MySQL or MariaDB URL naming a database</source>
        <translation>%1: keine MySQL- oder MariaDB-URL mit Datenbankname</translation>
    </message>
    <message>
        <source>%1:%2 as %3: %4</source>
        <translation>%1:%2 als %3: %4</translation>
    </message>
    <message>
        <source>creating database %1: %2</source>
        <translation>Anlegen der Datenbank %1: %2</translation>
    </message>
    <message>
        <source>granting %1 on %2: %3</source>
        <translation>Erteilen der Rechte auf %2 an %1: %3</translation>
    </message>
    <message>
        <source>%1: %2 is not a configuration file Tribune knows</source>
        <translation>%1: %2 ist keine Konfigurationsdatei, die Tribune kennt</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: Schreiben nicht möglich: %2</translation>
    </message>
    <message>
        <source>%1: more than %2 MiB of files; not a plan</source>
        <translation>%1: mehr als %2 MiB an Dateien; kein Plan</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1: Lesen nicht möglich: %2</translation>
    </message>
    <message>
        <source>%1: the plan changes no node (no NODE/repository/conf below it)</source>
        <translation>%1: Der Plan ändert keinen Knoten (kein NODE/repository/conf darunter)</translation>
    </message>
    <message>
        <source>%1: cannot write the archive: %2</source>
        <translation>%1: Archiv kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>%1: cannot read the archive: %2</source>
        <translation>%1: Archiv kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>%1: %2: cannot read: %3</source>
        <translation>%1: %2: Lesen nicht möglich: %3</translation>
    </message>
    <message>
        <source>%1: a damaged archive: %2</source>
        <translation>%1: beschädigtes Archiv: %2</translation>
    </message>
    <message>
        <source>plan.json: not a plan: %1</source>
        <translation>plan.json: kein Plan: %1</translation>
    </message>
    <message>
        <source>more than %1 nodes; split the plan</source>
        <translation>mehr als %1 Knoten; teilen Sie den Plan auf</translation>
    </message>
    <message>
        <source>%1: no plan.json; a plan is what `tribunectl node plan --out` writes</source>
        <translation>%1: keine plan.json; ein Plan ist das, was `tribunectl node plan --out` schreibt</translation>
    </message>
    <message>
        <source>%1: more than %2 entries; not a plan</source>
        <translation>%1: mehr als %2 Einträge; kein Plan</translation>
    </message>
    <message>
        <source>%1: everything is inside the folder %2/; archive what the plan folder holds (tar -czf PLAN.tar.gz -C %2 .), or let node plan --out write the archive</source>
        <translation>%1: Alles liegt im Ordner %2/; archivieren Sie den Inhalt des Plan-Ordners (tar -czf PLAN.tar.gz -C %2 .) oder lassen Sie node plan --out das Archiv schreiben</translation>
    </message>
    <message>
        <source>plan.json: larger than %1 KiB; not a plan</source>
        <translation>plan.json: größer als %1 KiB; kein Plan</translation>
    </message>
    <message>
        <source>%1: more than %2 files; a node&apos;s configuration has a handful</source>
        <translation>%1: mehr als %2 Dateien; die Konfiguration eines Knotens umfasst nur eine Handvoll</translation>
    </message>
    <message>
        <source>%1 is in the plan but no live member is that node; start its agent, or take it out of the plan</source>
        <translation>%1 ist im Plan, aber kein aktives Mitglied ist dieser Knoten; starten Sie seinen Agenten oder nehmen Sie ihn aus dem Plan</translation>
    </message>
    <message>
        <source>the plan makes %1 new nodes; apply one at a time, each to its own provisioning agent</source>
        <translation>der Plan legt %1 neue Knoten an; legen Sie neue Knoten einzeln an, jeden über seinen eigenen Provisionierungs-Agenten</translation>
    </message>
    <message>
        <source>the plan makes a new node, which has no agent yet: start `tribune-agent --provision --carbon-home DIR --key-file K --listen HOST:PORT` on its server and give that HOST:PORT (--to)</source>
        <translation>der Plan legt einen neuen Knoten an, der noch keinen Agenten hat: Starten Sie `tribune-agent --provision --carbon-home DIR --key-file K --listen HOST:PORT` auf seinem Server und geben Sie dieses HOST:PORT an (--to)</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::AddNodeFlow</name>
    <message>
        <source>%1: port offset %2, membership port %3</source>
        <translation>%1: Port-Offset %2, Membership-Port %3</translation>
    </message>
    <message>
        <source>no load balancer of the cluster serves the domain of %1; its loadbalancer.conf must be one of the cluster&apos;s nodes to be changed</source>
        <translation>kein Load Balancer des Clusters bedient die Domain von %1; seine loadbalancer.conf muss zu einem der Knoten des Clusters gehören, um geändert werden zu können</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::DatasourceChecker</name>
    <message>
        <source>database created and granted to %1</source>
        <translation>Datenbank angelegt und Rechte an %1 erteilt</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::JoinWatcher</name>
    <message>
        <source>files written</source>
        <translation>Dateien geschrieben</translation>
    </message>
    <message>
        <source>joined as the node</source>
        <translation>als der Knoten beigetreten</translation>
    </message>
    <message>
        <source>seen by every member</source>
        <translation>von allen Mitgliedern gesehen</translation>
    </message>
    <message>
        <source>server added in HAProxy</source>
        <translation>Server in HAProxy hinzugefügt</translation>
    </message>
    <message>
        <source>first health check UP</source>
        <translation>erste Zustandsprüfung UP</translation>
    </message>
    <message>
        <source>first request served through HAProxy</source>
        <translation>erste Anfrage über HAProxy bedient</translation>
    </message>
    <message>
        <source>timed out after %1 s waiting for: %2</source>
        <translation>Zeitüberschreitung nach %1 s beim Warten auf: %2</translation>
    </message>
    <message>
        <source>%1 refused the key: %2</source>
        <translation>%1 hat den Schlüssel abgelehnt: %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 is a member already; its identity did not change</source>
        <translation>%1 ist bereits Mitglied; seine Identität hat sich nicht geändert</translation>
    </message>
    <message>
        <source>no other member may see it</source>
        <translation>kein anderes Mitglied, das ihn sehen könnte</translation>
    </message>
    <message numerus="yes">
        <source>by %n member(s)</source>
        <translation>
            <numerusform>von %n Mitglied</numerusform>
            <numerusform>von %n Mitgliedern</numerusform>
        </translation>
    </message>
    <message>
        <source>no load balancer in the view serves %1</source>
        <translation>kein Load Balancer in der Sicht bedient %1</translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent names no HAProxy admin socket this machine can reach; give --lb-socket</source>
        <translation>der Agent des Load Balancers nennt keinen HAProxy-Admin-Socket, den dieser Rechner erreichen kann; geben Sie --lb-socket an</translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent did not tell its HAProxy socket (%1); give --lb-socket</source>
        <translation>der Agent des Load Balancers hat seinen HAProxy-Socket nicht mitgeteilt (%1); geben Sie --lb-socket an</translation>
    </message>
    <message>
        <source>--lb-socket: %1</source>
        <translation>--lb-socket: %1</translation>
    </message>
    <message>
        <source>backend %1</source>
        <translation>Backend %1</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) so far</source>
        <translation>
            <numerusform>bisher %n Anfrage</numerusform>
            <numerusform>bisher %n Anfragen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is in the cluster and served through HAProxy</source>
        <translation>%1 ist im Cluster und wird über HAProxy bedient</translation>
    </message>
    <message>
        <source>%1 is in the cluster; HAProxy not watched: %2</source>
        <translation>%1 ist im Cluster; HAProxy nicht überwacht: %2</translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent cannot be asked for its HAProxy socket (%1); give --lb-socket</source>
        <translation>der Agent des Load Balancers kann nicht nach seinem HAProxy-Socket gefragt werden (%1); geben Sie --lb-socket an</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::NodeEditFlow</name>
    <message>
        <source>the running cluster has no node &quot;%1&quot;; read its files again</source>
        <translation>der laufende Cluster hat keinen Knoten &quot;%1&quot;; lesen Sie seine Dateien erneut ein</translation>
    </message>
    <message>
        <source>%1: %2 is not a configuration file Tribune knows</source>
        <translation>%1: %2 ist keine Konfigurationsdatei, die Tribune kennt</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>not every node of the change is a member of the running cluster</source>
        <translation>nicht jeder Knoten der Änderung ist Mitglied des laufenden Clusters</translation>
    </message>
    <message>
        <source>these are a folder&apos;s files, not the running cluster&apos;s: connect, then read the running cluster&apos;s files</source>
        <translation>dies sind die Dateien eines Ordners, nicht die des laufenden Clusters: Verbinden Sie sich und lesen Sie dann die Dateien des laufenden Clusters</translation>
    </message>
    <message>
        <source>%1 is not a member of the running cluster: %2</source>
        <translation>%1 ist kein Mitglied des laufenden Clusters: %2</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::NodeSettings</name>
    <message>
        <source>Membership</source>
        <translation>Membership</translation>
    </message>
    <message>
        <source>Clustering enabled</source>
        <translation>Clustering aktiviert</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Domain</translation>
    </message>
    <message>
        <source>Sub-domain</source>
        <translation>Subdomain</translation>
    </message>
    <message>
        <source>Membership host</source>
        <translation>Membership-Host</translation>
    </message>
    <message>
        <source>Membership port</source>
        <translation>Membership-Port</translation>
    </message>
    <message>
        <source>Well-known members</source>
        <translation>Well-Known Members</translation>
    </message>
    <message>
        <source>Ports</source>
        <translation>Ports</translation>
    </message>
    <message>
        <source>Port offset</source>
        <translation>Port-Offset</translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation>Hosts</translation>
    </message>
    <message>
        <source>HostName</source>
        <translation>HostName</translation>
    </message>
    <message>
        <source>MgtHostName</source>
        <translation>MgtHostName</translation>
    </message>
    <message>
        <source>Proxy port of the %1 connector on %2</source>
        <translation>Proxy-Port des %1-Connectors auf %2</translation>
    </message>
    <message>
        <source>Registry %1 (mounted at %2)</source>
        <translation>Registry %1 (eingehängt unter %2)</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>keinem Pfad</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>Schreibgeschützt</translation>
    </message>
    <message>
        <source>Cache id</source>
        <translation>Cache-ID</translation>
    </message>
    <message>
        <source>Database configuration</source>
        <translation>Datenbankkonfiguration</translation>
    </message>
    <message>
        <source>User store</source>
        <translation>Benutzerspeicher</translation>
    </message>
    <message>
        <source>Datasource (JNDI name)</source>
        <translation>Datenquelle (JNDI-Name)</translation>
    </message>
    <message>
        <source>Datasource %1</source>
        <translation>Datenquelle %1</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::PlanApplier</name>
    <message>
        <source>the plan changes nothing</source>
        <translation>der Plan ändert nichts</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>every node of the plan has its files; nothing to follow into the cluster</source>
        <translation>jeder Knoten des Plans hat seine Dateien; kein Beitritt zum Cluster zu verfolgen</translation>
    </message>
    <message>
        <source>%1 (%2) did not take the files: %3</source>
        <translation>%1 (%2) hat die Dateien nicht angenommen: %3</translation>
    </message>
    <message>
        <source>the nodes before it have their new files; rolling back takes each back (`tribunectl config rollback`)</source>
        <translation>die Knoten davor haben ihre neuen Dateien; ein Rollback setzt jeden einzeln zurück (`tribunectl config rollback`)</translation>
    </message>
</context>
<context>
    <name>Tribune::PreferencesDialog</name>
    <message>
        <source>C&amp;heck</source>
        <translation>&amp;Prüfen</translation>
    </message>
    <message>
        <source>Desktop &amp;notifications of failures</source>
        <translation>Desktop-&amp;Benachrichtigungen bei Ausfällen</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>default: SQLite in the data folder</source>
        <translation>Standard: SQLite im Datenordner</translation>
    </message>
    <message>
        <source>Where to keep history: empty for a SQLite file in the data folder, sqlite:///path/history.sqlite, mysql://user:password@host:port/database, postgresql://user:password@host:port/database for a history the team shares, or none to keep no history.</source>
        <translation>Speicherort des Verlaufs: leer für eine SQLite-Datei im Datenordner, sqlite:///path/history.sqlite, mysql://user:password@host:port/database, postgresql://user:password@host:port/database für einen im Team gemeinsam genutzten Verlauf oder none, um keinen Verlauf zu führen.</translation>
    </message>
    <message>
        <source>Open the database as the console would, and say where it is or what failed.</source>
        <translation>Die Datenbank so öffnen, wie es die Konsole tun würde, und anzeigen, wo sie liegt oder was fehlgeschlagen ist.</translation>
    </message>
    <message>
        <source>A connection&apos;s own history URL, when it names one, wins over this one. A password in the URL is kept in %1, never in the settings file.</source>
        <translation>Eine eigene Verlaufs-URL einer Verbindung hat, sofern vorhanden, Vorrang vor dieser. Ein Passwort in der URL wird nie in der Einstellungsdatei gespeichert, sondern hier: %1.</translation>
    </message>
    <message>
        <source>A member&apos;s failure always shows in the status bar; this also shows it as a desktop notification where the desktop has a tray.</source>
        <translation>Der Ausfall eines Mitglieds erscheint immer in der Statusleiste; diese Option zeigt ihn zusätzlich als Desktop-Benachrichtigung an, sofern der Desktop einen Infobereich hat.</translation>
    </message>
    <message>
        <source>&amp;History database:</source>
        <translation>&amp;Verlaufsdatenbank:</translation>
    </message>
    <message>
        <source>Default &amp;chart window:</source>
        <translation>Standard-&amp;Diagrammzeitraum:</translation>
    </message>
    <message>
        <source>No history will be kept.</source>
        <translation>Es wird kein Verlauf geführt.</translation>
    </message>
    <message>
        <source>Opened %1.</source>
        <translation>%1 geöffnet.</translation>
    </message>
    <message>
        <source>Take a &amp;snapshot when a member fails</source>
        <translation>&amp;Snapshot erstellen, wenn ein Mitglied ausfällt</translation>
    </message>
    <message>
        <source>A snapshot of the cluster and the minutes before, taken by itself when a member fails; the event log says where it is.</source>
        <translation>Ein Snapshot des Clusters und der Minuten davor, automatisch erstellt, wenn ein Mitglied ausfällt; das Ereignisprotokoll nennt den Speicherort.</translation>
    </message>
    <message>
        <source> snapshots</source>
        <translation> Snapshots</translation>
    </message>
    <message>
        <source>&amp;Keep the newest:</source>
        <translation>Die &amp;neuesten behalten:</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <source>System default (%1)</source>
        <translation>Systemstandard (%1)</translation>
    </message>
    <message>
        <source>The console speaks this language from its next start.</source>
        <translation>Die Konsole verwendet diese Sprache ab dem nächsten Start.</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>Spr&amp;ache:</translation>
    </message>
</context>
<context>
    <name>Tribune::Protocol::AgentClient</name>
    <message>
        <source>not connected to %1</source>
        <translation>nicht mit %1 verbunden</translation>
    </message>
    <message>
        <source>%1 did not answer within %2 s</source>
        <translation>%1 hat nicht innerhalb von %2 s geantwortet</translation>
    </message>
    <message>
        <source>The member &quot;%1&quot; has no host: write it as HOST:PORT, e.g. %2.</source>
        <translation>Das Mitglied &quot;%1&quot; hat keinen Host: Schreiben Sie es als HOST:PORT, z. B. %2.</translation>
    </message>
    <message>
        <source>The member &quot;%1&quot; has no port: write it as HOST:PORT, e.g. %2.</source>
        <translation>Das Mitglied &quot;%1&quot; hat keinen Port: Schreiben Sie es als HOST:PORT, z. B. %2.</translation>
    </message>
    <message>
        <source>The port of &quot;%1&quot; is not a number: write the member as HOST:PORT, e.g. %2.</source>
        <translation>Der Port von &quot;%1&quot; ist keine Zahl: Schreiben Sie das Mitglied als HOST:PORT, z. B. %2.</translation>
    </message>
    <message>
        <source>The port of &quot;%1&quot; is out of range: use a port from 1 to 65535, e.g. %2.</source>
        <translation>Der Port von &quot;%1&quot; liegt außerhalb des gültigen Bereichs: Verwenden Sie einen Port von 1 bis 65535, z. B. %2.</translation>
    </message>
</context>
<context>
    <name>Tribune::Protocol::Connection</name>
    <message>
        <source>the peer closed the connection</source>
        <translation>die Gegenstelle hat die Verbindung geschlossen</translation>
    </message>
    <message>
        <source>TLS: %1</source>
        <translation>TLS: %1</translation>
    </message>
    <message>
        <source>the peer does not read what it is sent</source>
        <translation>die Gegenstelle liest nicht, was ihr gesendet wird</translation>
    </message>
    <message>
        <source>a frame of %1 bytes exceeds the limit of %2</source>
        <translation>ein Frame von %1 Bytes überschreitet das Limit von %2</translation>
    </message>
    <message>
        <source>a frame is not a JSON object: %1</source>
        <translation>ein Frame ist kein JSON-Objekt: %1</translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation>abgelehnt: %1</translation>
    </message>
    <message>
        <source>protocol version %1 is not supported; this side speaks %2</source>
        <translation>Protokollversion %1 wird nicht unterstützt; diese Seite spricht %2</translation>
    </message>
    <message>
        <source>no %1 key in the key file</source>
        <translation>kein %1-Schlüssel in der Schlüsseldatei</translation>
    </message>
    <message>
        <source>authentication failed</source>
        <translation>Authentifizierung fehlgeschlagen</translation>
    </message>
    <message>
        <source>the server could not prove it holds the cluster key</source>
        <translation>der Server konnte nicht nachweisen, dass er den Cluster-Schlüssel besitzt</translation>
    </message>
    <message>
        <source>unexpected &quot;%1&quot; during the handshake</source>
        <translation>unerwartetes &quot;%1&quot; während des Handshakes</translation>
    </message>
    <message>
        <source>the connection or its handshake timed out</source>
        <translation>Zeitüberschreitung bei der Verbindung oder ihrem Handshake</translation>
    </message>
    <message>
        <source>the answer is larger than the %1-byte frame limit</source>
        <translation>die Antwort ist größer als das Frame-Limit von %1 Bytes</translation>
    </message>
    <message>
        <source>too many connections are proving their key at once; try again in a few seconds</source>
        <translation>zu viele Verbindungen weisen gleichzeitig ihren Schlüssel nach; versuchen Sie es in einigen Sekunden erneut</translation>
    </message>
    <message>
        <source>a frame of %1 bytes before the handshake is done exceeds its limit of %2</source>
        <translation>ein Frame von %1 Bytes vor Abschluss des Handshakes überschreitet das dafür geltende Limit von %2</translation>
    </message>
    <message>
        <source>the other member speaks membership protocol %1 and this one %2: members of different tribune-agent versions cannot form one cluster; upgrade every node&apos;s tribune-agent together (stop all, upgrade, start: docs/PROTOCOL.md, &quot;Upgrading&quot;)</source>
        <translation>das andere Mitglied spricht Membership-Protokoll %1, dieses %2: Mitglieder unterschiedlicher tribune-agent-Versionen können keinen gemeinsamen Cluster bilden; aktualisieren Sie tribune-agent auf allen Knoten gemeinsam (alle stoppen, aktualisieren, starten: docs/PROTOCOL.md, „Upgrading“)</translation>
    </message>
</context>
<context>
    <name>Tribune::Protocol::Datagram</name>
    <message numerus="yes">
        <source>a datagram of %n byte(s) is not one of the protocol&apos;s</source>
        <translation>
            <numerusform>ein Datagramm von %n Byte gehört nicht zum Protokoll</numerusform>
            <numerusform>ein Datagramm von %n Bytes gehört nicht zum Protokoll</numerusform>
        </translation>
    </message>
    <message>
        <source>not a membership datagram of protocol version 2</source>
        <translation>kein Membership-Datagramm der Protokollversion 2</translation>
    </message>
    <message>
        <source>the datagram&apos;s proof does not match the member key</source>
        <translation>der Nachweis des Datagramms passt nicht zum Mitgliedsschlüssel</translation>
    </message>
    <message>
        <source>the datagram holds no JSON object</source>
        <translation>das Datagramm enthält kein JSON-Objekt</translation>
    </message>
    <message>
        <source>the datagram is stamped %1 ms away from this host&apos;s clock</source>
        <translation>der Zeitstempel des Datagramms weicht %1 ms von der Uhr dieses Hosts ab</translation>
    </message>
</context>
<context>
    <name>Tribune::Report</name>
    <message>
        <source>fix: %1</source>
        <translation>Behebung: %1</translation>
    </message>
    <message>
        <source>%1 checked: %2
</source>
        <translation>%1 geprüft: %2
</translation>
    </message>
    <message>
        <source>1 node</source>
        <translation>1 Knoten</translation>
    </message>
    <message>
        <source>%1 nodes</source>
        <translation>%1 Knoten</translation>
    </message>
</context>
<context>
    <name>Tribune::SecretStore</name>
    <message>
        <source>the platform keychain</source>
        <translation>Schlüsselbund des Systems</translation>
    </message>
    <message>
        <source>%1 (readable by you only)</source>
        <translation>%1 (nur für Sie lesbar)</translation>
    </message>
    <message>
        <source>the keychain refused to keep the password: %1</source>
        <translation>der Schlüsselbund hat das Speichern des Passworts abgelehnt: %1</translation>
    </message>
    <message>
        <source>the keychain did not give the password: %1</source>
        <translation>der Schlüsselbund hat das Passwort nicht herausgegeben: %1</translation>
    </message>
    <message>
        <source>the keychain did not answer within %1 s</source>
        <translation>der Schlüsselbund hat nicht innerhalb von %1 s geantwortet</translation>
    </message>
    <message>
        <source>cannot create the folder of %1</source>
        <translation>der Ordner für %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::SessionKeeper</name>
    <message>
        <source>the load balancer %1</source>
        <translation>Load Balancer %1</translation>
    </message>
    <message>
        <source>the membership port %1</source>
        <translation>Membership-Port %1</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: cannot write beside it: %2</source>
        <translation>%1: Schreiben im selben Ordner nicht möglich: %2</translation>
    </message>
    <message>
        <source>%1: %2; nothing was written</source>
        <translation>%1: %2; es wurde nichts geschrieben</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>cannot rename %1 into place: %2</source>
        <translation>%1 kann nicht an den Zielort umbenannt werden: %2</translation>
    </message>
    <message>
        <source>no such file</source>
        <translation>Datei nicht vorhanden</translation>
    </message>
    <message>
        <source>%1 bytes, more than the %2 a snapshot may have</source>
        <translation>%1 Bytes, mehr als die %2, die ein Snapshot haben darf</translation>
    </message>
    <message>
        <source>not a Tribune snapshot (%1)</source>
        <translation>kein Tribune-Snapshot (%1)</translation>
    </message>
    <message>
        <source>not a Tribune snapshot</source>
        <translation>kein Tribune-Snapshot</translation>
    </message>
    <message>
        <source>format %1, which this Tribune (format %2) cannot read; open it with a newer one</source>
        <translation>Format %1, das diese Tribune-Version (Format %2) nicht lesen kann; öffnen Sie die Datei mit einer neueren Version</translation>
    </message>
    <message>
        <source>%1 members, more than the %2 a snapshot may have</source>
        <translation>%1 Mitglieder, mehr als die %2, die ein Snapshot haben darf</translation>
    </message>
    <message>
        <source>%1 events and samples, more than the %2 a snapshot may have</source>
        <translation>%1 Ereignisse und Messwerte, mehr als die %2, die ein Snapshot haben darf</translation>
    </message>
    <message>
        <source>the samples of %1 are damaged (%2 bytes for %3 samples)</source>
        <translation>die Messwerte von %1 sind beschädigt (%2 Bytes für %3 Messwerte)</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::FlightRecorder</name>
    <message>
        <source>cannot create %1</source>
        <translation>%1 kann nicht angelegt werden</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::Report</name>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: Schreiben nicht möglich: %2</translation>
    </message>
    <message>
        <source>%1: cannot create the folder</source>
        <translation>%1: Ordner kann nicht angelegt werden</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotCollector</name>
    <message>
        <source>asking %1 for the members</source>
        <translation>%1 wird nach den Mitgliedern gefragt</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <source>asking %n member(s) for their health</source>
        <translation>
            <numerusform>%n Mitglied wird nach seinem Zustand gefragt</numerusform>
            <numerusform>%n Mitglieder werden nach ihrem Zustand gefragt</numerusform>
        </translation>
    </message>
    <message>
        <source>health of %1: %2</source>
        <translation>Zustand von %1: %2</translation>
    </message>
    <message>
        <source>reading every live member&apos;s configuration files</source>
        <translation>Konfigurationsdateien aller aktiven Mitglieder werden gelesen</translation>
    </message>
    <message>
        <source>configuration files: cannot create a temporary folder: %1</source>
        <translation>Konfigurationsdateien: temporärer Ordner kann nicht angelegt werden: %1</translation>
    </message>
    <message>
        <source>configuration files: %1</source>
        <translation>Konfigurationsdateien: %1</translation>
    </message>
    <message>
        <source>HAProxy: no admin socket was given (--lb-socket)</source>
        <translation>HAProxy: kein Admin-Socket angegeben (--lb-socket)</translation>
    </message>
    <message>
        <source>HAProxy: %1</source>
        <translation>HAProxy: %1</translation>
    </message>
    <message>
        <source>asking HAProxy at %1</source>
        <translation>HAProxy unter %1 wird abgefragt</translation>
    </message>
    <message>
        <source>HAProxy %1: %2</source>
        <translation>HAProxy %1: %2</translation>
    </message>
    <message>
        <source>events and samples: no history was asked for</source>
        <translation>Ereignisse und Messwerte: kein Verlauf angefordert</translation>
    </message>
    <message>
        <source>reading the history&apos;s events and samples</source>
        <translation>Ereignisse und Messwerte des Verlaufs werden gelesen</translation>
    </message>
    <message>
        <source>events and samples: %1</source>
        <translation>Ereignisse und Messwerte: %1</translation>
    </message>
    <message>
        <source>events and samples: %1 holds none for this window</source>
        <translation>Ereignisse und Messwerte: %1 enthält keine für diesen Zeitraum</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotDiff</name>
    <message>
        <source>gone (was %1)</source>
        <translation>verschwunden (war %1)</translation>
    </message>
    <message>
        <source>state %1 → %2</source>
        <translation>Status %1 → %2</translation>
    </message>
    <message>
        <source>HAProxy %1 → %2</source>
        <translation>HAProxy %1 → %2</translation>
    </message>
    <message>
        <source>weight %1 → %2</source>
        <translation>Gewicht %1 → %2</translation>
    </message>
    <message>
        <source>incarnation %1 → %2 (it restarted or rejoined)</source>
        <translation>Inkarnation %1 → %2 (neu gestartet oder erneut beigetreten)</translation>
    </message>
    <message>
        <source>new (%1)</source>
        <translation>neu (%1)</translation>
    </message>
    <message>
        <source>not served</source>
        <translation>nicht bedient</translation>
    </message>
    <message>
        <source>traffic over the last minute of each (%1 → %2):</source>
        <translation>Datenverkehr in der jeweils letzten Minute (%1 → %2):</translation>
    </message>
    <message>
        <source>not sampled</source>
        <translation>nicht gemessen</translation>
    </message>
    <message>
        <source>%1 req/s, %2 5xx/s, %3 ms</source>
        <translation>%1 Anfragen/s, %2 5xx/s, %3 ms</translation>
    </message>
    <message>
        <source>new finding: %1 %2: %3</source>
        <translation>neuer Befund: %1 %2: %3</translation>
    </message>
    <message>
        <source>resolved: %1 %2: %3</source>
        <translation>behoben: %1 %2: %3</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotExport</name>
    <message>
        <source>%1; nothing was written</source>
        <translation>%1; es wurde nichts geschrieben</translation>
    </message>
    <message>
        <source>Cancelled; nothing was written.</source>
        <translation>Abgebrochen; es wurde nichts geschrieben.</translation>
    </message>
    <message>
        <source>writing %1</source>
        <translation>%1 wird geschrieben</translation>
    </message>
    <message>
        <source>%1
Not in it: %2</source>
        <translation>%1
Nicht enthalten: %2</translation>
    </message>
    <message>
        <source>%1: %2, %3, %4</source>
        <translation>%1: %2, %3, %4</translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n Mitglied</numerusform>
            <numerusform>%n Mitglieder</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s)</source>
        <translation>
            <numerusform>%n Befund</numerusform>
            <numerusform>%n Befunde</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n Ereignis</numerusform>
            <numerusform>%n Ereignisse</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotReplay</name>
    <message>
        <source>%1 at %2 (holds passwords)</source>
        <translation>%1 vom %2 (enthält Passwörter)</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1 vom %2</translation>
    </message>
    <message>
        <source>not captured</source>
        <translation>nicht erfasst</translation>
    </message>
    <message>
        <source>the snapshot holds no configuration files</source>
        <translation>der Snapshot enthält keine Konfigurationsdateien</translation>
    </message>
    <message>
        <source>cannot create a temporary folder: %1; free space there (or set TMPDIR) and try again</source>
        <translation>temporärer Ordner kann nicht angelegt werden: %1; schaffen Sie dort Platz (oder setzen Sie TMPDIR) und versuchen Sie es erneut</translation>
    </message>
    <message>
        <source>snapshot of %1</source>
        <translation>Snapshot von %1</translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation>%1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>refused node name &quot;%1&quot;</source>
        <translation>abgelehnter Knotenname &quot;%1&quot;</translation>
    </message>
    <message>
        <source>%1: refused file name &quot;%2&quot;</source>
        <translation>%1: abgelehnter Dateiname &quot;%2&quot;</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: Schreiben nicht möglich: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::SnapshotCompareDialog</name>
    <message>
        <source>Compare Snapshots</source>
        <translation>Snapshots vergleichen</translation>
    </message>
    <message numerus="yes">
        <source>From &lt;b&gt;%1&lt;/b&gt; to &lt;b&gt;%2&lt;/b&gt;: %n member(s) changed, </source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt; → &lt;b&gt;%2&lt;/b&gt;: %n Mitglied geändert, </numerusform>
            <numerusform>&lt;b&gt;%1&lt;/b&gt; → &lt;b&gt;%2&lt;/b&gt;: %n Mitglieder geändert, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) differ, </source>
        <translation>
            <numerusform>%n Datei unterschiedlich, </numerusform>
            <numerusform>%n Dateien unterschiedlich, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new finding(s), </source>
        <translation>
            <numerusform>%n neuer Befund, </numerusform>
            <numerusform>%n neue Befunde, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n resolved.</source>
        <translation>
            <numerusform>%n behoben.</numerusform>
            <numerusform>%n behoben.</numerusform>
        </translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Änderung</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Mitglied</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>added</source>
        <translation>hinzugefügt</translation>
    </message>
    <message>
        <source>gone</source>
        <translation>verschwunden</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>geändert</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Domain</translation>
    </message>
    <message>
        <source>Requests/s before</source>
        <translation>Anfragen/s vorher</translation>
    </message>
    <message>
        <source>after</source>
        <translation>nachher</translation>
    </message>
    <message>
        <source>5xx/s before</source>
        <translation>5xx/s vorher</translation>
    </message>
    <message>
        <source>Response ms before</source>
        <translation>Antwort-ms vorher</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>No samples of this domain in the minute before the snapshot</source>
        <translation>Keine Messwerte dieser Domain in der Minute vor dem Snapshot</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Schweregrad</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>new</source>
        <translation>neu</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>behoben</translation>
    </message>
    <message>
        <source>Members (%1)</source>
        <translation>Mitglieder (%1)</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>Datenverkehr</translation>
    </message>
    <message>
        <source>Files (%1)</source>
        <translation>Dateien (%1)</translation>
    </message>
    <message>
        <source>Findings (%1)</source>
        <translation>Befunde (%1)</translation>
    </message>
    <message>
        <source>Cannot Compare</source>
        <translation>Vergleich nicht möglich</translation>
    </message>
</context>
<context>
    <name>Tribune::SnapshotPdfReport</name>
    <message>
        <source>per second</source>
        <translation>pro Sekunde</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>Snapshot of %1</source>
        <translation>Snapshot von %1</translation>
    </message>
    <message>
        <source>This snapshot holds passwords: it was taken with secrets included.</source>
        <translation>Dieser Snapshot enthält Passwörter: Er wurde einschließlich geheimer Daten erstellt.</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Zeitraum</translation>
    </message>
    <message>
        <source>events from %1, samples from %2</source>
        <translation>Ereignisse ab %1, Messwerte ab %2</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Befunde</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>Konsole</translation>
    </message>
    <message>
        <source>Not captured</source>
        <translation>Nicht erfasst</translation>
    </message>
    <message>
        <source>Domain / sub-domain</source>
        <translation>Domain / Subdomain</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Mitglied</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>HAProxy</source>
        <translation>HAProxy</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Gewicht</translation>
    </message>
    <message>
        <source>CPU %</source>
        <translation>CPU %</translation>
    </message>
    <message>
        <source>RSS MB</source>
        <translation>RSS MB</translation>
    </message>
    <message>
        <source>No problems found in the cluster&apos;s files.</source>
        <translation>Keine Probleme in den Dateien des Clusters gefunden.</translation>
    </message>
    <message>
        <source>Traffic by domain</source>
        <translation>Datenverkehr nach Domain</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <source>The newest %1 of %2 events; the CSV export has them all.</source>
        <translation>Die neuesten %1 von %2 Ereignissen; der CSV-Export enthält alle.</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: Schreiben nicht möglich: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::SnapshotWindow</name>
    <message>
        <source>Snapshot: %1 — Tribune</source>
        <translation>Snapshot: %1 — Tribune</translation>
    </message>
    <message>
        <source>a snapshot is read-only: connect to the cluster to change it</source>
        <translation>ein Snapshot ist schreibgeschützt: Verbinden Sie sich mit dem Cluster, um Änderungen vorzunehmen</translation>
    </message>
    <message>
        <source>Cluster at the Time</source>
        <translation>Cluster zum Zeitpunkt</translation>
    </message>
    <message>
        <source>Configuration Files</source>
        <translation>Konfigurationsdateien</translation>
    </message>
    <message>
        <source>No configuration files: %1</source>
        <translation>Keine Konfigurationsdateien: %1</translation>
    </message>
    <message>
        <source>they could not be read</source>
        <translation>sie konnten nicht gelesen werden</translation>
    </message>
    <message>
        <source>HAProxy</source>
        <translation>HAProxy</translation>
    </message>
    <message numerus="yes">
        <source>Read-only snapshot of %1 · %n member(s)</source>
        <translation>
            <numerusform>Schreibgeschützter Snapshot von %1 · %n Mitglied</numerusform>
            <numerusform>Schreibgeschützter Snapshot von %1 · %n Mitglieder</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (when taken)</source>
        <translation>%1 (Aufnahmezeitpunkt)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Snapshot of %1&lt;/b&gt;, taken %2%3 — read-only; nothing here is live.</source>
        <translation>&lt;b&gt;Snapshot von %1&lt;/b&gt;, erstellt am %2%3 — schreibgeschützt; nichts hier ist live.</translation>
    </message>
    <message>
        <source> by %1</source>
        <translation> von %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;This snapshot holds passwords&lt;/b&gt;: it was taken with secrets included. Share it with care.</source>
        <translation>&lt;b&gt;Dieser Snapshot enthält Passwörter&lt;/b&gt;: Er wurde einschließlich geheimer Daten erstellt. Geben Sie ihn nur mit Bedacht weiter.</translation>
    </message>
    <message>
        <source>Not captured: %1</source>
        <translation>Nicht erfasst: %1</translation>
    </message>
    <message>
        <source>The cluster as it was at that second, rebuilt from the snapshot&apos;s events</source>
        <translation>Der Cluster, wie er in dieser Sekunde war, rekonstruiert aus den Ereignissen des Snapshots</translation>
    </message>
    <message>
        <source>◀ Event</source>
        <translation>◀ Ereignis</translation>
    </message>
    <message>
        <source>The event before the moment shown</source>
        <translation>Das Ereignis vor dem angezeigten Zeitpunkt</translation>
    </message>
    <message>
        <source>Event ▶</source>
        <translation>Ereignis ▶</translation>
    </message>
    <message>
        <source>The event after the moment shown</source>
        <translation>Das Ereignis nach dem angezeigten Zeitpunkt</translation>
    </message>
    <message>
        <source>When Taken</source>
        <translation>Aufnahmezeitpunkt</translation>
    </message>
    <message>
        <source>Shown at:</source>
        <translation>Stand:</translation>
    </message>
    <message>
        <source>HAProxy&apos;s answers were not captured.</source>
        <translation>Die Antworten von HAProxy wurden nicht erfasst.</translation>
    </message>
    <message>
        <source>&amp;Snapshot</source>
        <translation>&amp;Snapshot</translation>
    </message>
    <message>
        <source>&amp;Open Snapshot…</source>
        <translation>Snapshot ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Co&amp;mpare With…</source>
        <translation>&amp;Vergleichen mit…</translation>
    </message>
    <message>
        <source>Another snapshot against this one: members, each domain&apos;s traffic, every node&apos;s files, findings</source>
        <translation>Einen anderen Snapshot mit diesem vergleichen: Mitglieder, Datenverkehr jeder Domain, Dateien aller Knoten, Befunde</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>&amp;CSV exportieren…</translation>
    </message>
    <message>
        <source>members.csv, events.csv and samples.csv in a folder</source>
        <translation>members.csv, events.csv und samples.csv in einem Ordner</translation>
    </message>
    <message>
        <source>Export &amp;PDF Report…</source>
        <translation>&amp;PDF-Bericht exportieren…</translation>
    </message>
    <message>
        <source>The summary, the members, findings, each domain&apos;s charts and the events, as one PDF</source>
        <translation>Zusammenfassung, Mitglieder, Befunde, Diagramme jeder Domain und Ereignisse in einer PDF-Datei</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Schließen</translation>
    </message>
    <message>
        <source>Compare With Snapshot</source>
        <translation>Mit Snapshot vergleichen</translation>
    </message>
    <message>
        <source>Tribune snapshots (*.tribune-snapshot);;All files (*)</source>
        <translation>Tribune-Snapshots (*.tribune-snapshot);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>%1 wird gelesen…</translation>
    </message>
    <message>
        <source>this snapshot</source>
        <translation>dieser Snapshot</translation>
    </message>
    <message>
        <source>Export CSV Into</source>
        <translation>CSV exportieren nach</translation>
    </message>
    <message>
        <source>Writing CSV files into %1…</source>
        <translation>CSV-Dateien werden in %1 geschrieben…</translation>
    </message>
    <message>
        <source>Cannot Export CSV</source>
        <translation>CSV-Export nicht möglich</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>%1 geschrieben</translation>
    </message>
    <message>
        <source>Export PDF Report</source>
        <translation>PDF-Bericht exportieren</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the report to %1…</source>
        <translation>Bericht wird in %1 geschrieben…</translation>
    </message>
    <message>
        <source>Cannot Export the Report</source>
        <translation>Bericht kann nicht exportiert werden</translation>
    </message>
    <message>
        <source>Open Snapshot</source>
        <translation>Snapshot öffnen</translation>
    </message>
    <message>
        <source>Cannot Open the Snapshot</source>
        <translation>Snapshot kann nicht geöffnet werden</translation>
    </message>
</context>
<context>
    <name>Tribune::TrafficCharts</name>
    <message>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <source>Save Charts</source>
        <translation>Diagramme speichern</translation>
    </message>
    <message>
        <source>PNG image (*.png);;PDF document (*.pdf)</source>
        <translation>PNG-Bild (*.png);;PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation>Gesamt: %1</translation>
    </message>
    <message>
        <source>Paused: the charts are not updating. Press Resume to follow the cluster again.</source>
        <translation>Angehalten: Die Diagramme werden nicht aktualisiert. Klicken Sie auf „Fortsetzen“, um dem Cluster wieder zu folgen.</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
</context>
<context>
    <name>Tribune::UrlPasswordField</name>
    <message>
        <source>password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>The database password, kept out of the URL shown and of the settings file.</source>
        <translation>Das Datenbankpasswort; es erscheint weder in der angezeigten URL noch in der Einstellungsdatei.</translation>
    </message>
</context>
<context>
    <name>Tribune::Validator</name>
    <message>
        <source>error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>Warnung</translation>
    </message>
    <message>
        <source>note</source>
        <translation>Hinweis</translation>
    </message>
    <message>
        <source>%1 (resolves nowhere)</source>
        <translation>%1 (nicht auflösbar)</translation>
    </message>
    <message>
        <source>(unplaced)</source>
        <translation>(nicht zugeordnet)</translation>
    </message>
    <message>
        <source>unknown product</source>
        <translation>unbekanntes Produkt</translation>
    </message>
    <message>
        <source>Elastic Load Balancer</source>
        <translation>Elastic Load Balancer</translation>
    </message>
    <message>
        <source>ESB</source>
        <translation>ESB</translation>
    </message>
    <message>
        <source>Application Server</source>
        <translation>Application Server</translation>
    </message>
    <message>
        <source>Governance Registry</source>
        <translation>Governance Registry</translation>
    </message>
    <message>
        <source>API Manager</source>
        <translation>API Manager</translation>
    </message>
    <message>
        <source>dbConfig &quot;%1&quot;</source>
        <translation>dbConfig &quot;%1&quot;</translation>
    </message>
    <message>
        <source>the user store</source>
        <translation>der Benutzerspeicher</translation>
    </message>
    <message>
        <source>Message Broker</source>
        <translation>Message Broker</translation>
    </message>
    <message>
        <source>Business Process Server</source>
        <translation>Business Process Server</translation>
    </message>
    <message>
        <source>Analytics</source>
        <translation>Analytics</translation>
    </message>
    <message>
        <source>the user store is on %1, but the managers of %2 keep users in %3: users added on a manager cannot log in here</source>
        <translation>der Benutzerspeicher liegt auf %1, die Manager von %2 speichern Benutzer aber in %3: Auf einem Manager angelegte Benutzer können sich hier nicht anmelden</translation>
    </message>
    <message>
        <source>set &lt;Property name=&quot;dataSource&quot;&gt; to %1, this node&apos;s datasource for %2</source>
        <translation>setzen Sie &lt;Property name=&quot;dataSource&quot;&gt; auf %1, die Datenquelle dieses Knotens für %2</translation>
    </message>
    <message>
        <source>add a datasource for %1 to master-datasources.xml and point &lt;Property name=&quot;dataSource&quot;&gt; at it</source>
        <translation>fügen Sie master-datasources.xml eine Datenquelle für %1 hinzu und lassen Sie &lt;Property name=&quot;dataSource&quot;&gt; darauf verweisen</translation>
    </message>
    <message>
        <source>%1 uses datasource %2, which master-datasources.xml does not define</source>
        <translation>%1 verwendet die Datenquelle %2, die in master-datasources.xml nicht definiert ist</translation>
    </message>
    <message>
        <source>add a datasource with &lt;jndiConfig&gt;&lt;name&gt;%1&lt;/name&gt; or correct the reference</source>
        <translation>fügen Sie eine Datenquelle mit &lt;jndiConfig&gt;&lt;name&gt;%1&lt;/name&gt; hinzu oder korrigieren Sie den Verweis</translation>
    </message>
    <message>
        <source>correct the reference to %1, defined and used nowhere else, or add a datasource with &lt;jndiConfig&gt;&lt;name&gt;%2&lt;/name&gt;</source>
        <translation>korrigieren Sie den Verweis auf %1 (definiert, aber sonst nirgends verwendet) oder fügen Sie eine Datenquelle mit &lt;jndiConfig&gt;&lt;name&gt;%2&lt;/name&gt; hinzu</translation>
    </message>
    <message>
        <source> or </source>
        <translation> oder </translation>
    </message>
    <message>
        <source>datasource %1 (%2) belongs to %3, whose files Tribune does not read, so whether it is used cannot be told</source>
        <translation>Datenquelle %1 (%2) gehört zu %3, dessen Dateien Tribune nicht liest; ob sie verwendet wird, lässt sich daher nicht feststellen</translation>
    </message>
    <message>
        <source>nothing to do if %1 runs on this node; otherwise it may go</source>
        <translation>nichts zu tun, wenn %1 auf diesem Knoten läuft; andernfalls kann sie entfernt werden</translation>
    </message>
    <message>
        <source>datasource %1 (%2) is referred to by no registry dbConfig and not by user-mgt.xml</source>
        <translation>auf Datenquelle %1 (%2) verweist weder ein dbConfig der Registry noch user-mgt.xml</translation>
    </message>
    <message>
        <source>remove it, or refer to it where it is meant to be used</source>
        <translation>entfernen Sie sie oder verweisen Sie dort auf sie, wo sie verwendet werden soll</translation>
    </message>
    <message>
        <source>the default sub-domain</source>
        <translation>die Standard-Subdomain</translation>
    </message>
    <message>
        <source>sub-domain &quot;%1&quot;</source>
        <translation>Subdomain &quot;%1&quot;</translation>
    </message>
    <message>
        <source>(the default sub-domain)</source>
        <translation>(Standard-Subdomain)</translation>
    </message>
    <message>
        <source>the load balancer serves no domain &quot;%1&quot;</source>
        <translation>der Load Balancer bedient keine Domain &quot;%1&quot;</translation>
    </message>
    <message>
        <source>add a block for %1 under domains { } in loadbalancer.conf, or correct the domain parameter</source>
        <translation>fügen Sie in loadbalancer.conf unter domains { } einen Block für %1 hinzu oder korrigieren Sie den Parameter domain</translation>
    </message>
    <message>
        <source>the load balancer serves %1 of domain &quot;%2&quot; to no one</source>
        <translation>der Load Balancer bedient %1 der Domain &quot;%2&quot; nicht</translation>
    </message>
    <message>
        <source>add the subDomain property with one of the sub-domains the load balancer serves for %1: %2</source>
        <translation>fügen Sie die Eigenschaft subDomain mit einer der Subdomains hinzu, die der Load Balancer für %1 bedient: %2</translation>
    </message>
    <message>
        <source>set the subDomain property to one the load balancer serves for %1 (%2), or serve sub-domain %3 in loadbalancer.conf</source>
        <translation>setzen Sie die Eigenschaft subDomain auf eine, die der Load Balancer für %1 bedient (%2), oder nehmen Sie Subdomain %3 in loadbalancer.conf auf</translation>
    </message>
    <message>
        <source>in service &quot;%1&quot;, tenant_range %2 of %3 overlaps tenant_range %4 of %5 (line %6)</source>
        <translation>in Service &quot;%1&quot; überschneidet sich tenant_range %2 von %3 mit tenant_range %4 von %5 (Zeile %6)</translation>
    </message>
    <message>
        <source>give each domain of a service its own tenants, e.g. 1-100 and 101-200</source>
        <translation>geben Sie jeder Domain eines Service eigene Tenants, z. B. 1-100 und 101-200</translation>
    </message>
    <message>
        <source>WSDLEPRPrefix of transport %1 publishes port %2, but the load balancer %3 listens for %4 on %5</source>
        <translation>WSDLEPRPrefix des Transports %1 veröffentlicht Port %2, aber der Load Balancer %3 lauscht für %4 auf %5</translation>
    </message>
    <message>
        <source>set WSDLEPRPrefix to %1</source>
        <translation>setzen Sie WSDLEPRPrefix auf %1</translation>
    </message>
    <message>
        <source>the %1 connector&apos;s proxyPort %2 is no port the load balancer %3 listens on (%4)</source>
        <translation>proxyPort %2 des %1-Connectors ist kein Port, auf dem der Load Balancer %3 lauscht (%4)</translation>
    </message>
    <message>
        <source>set proxyPort=&quot;%1&quot; on the connector of port %2</source>
        <translation>setzen Sie proxyPort=&quot;%1&quot; am Connector von Port %2</translation>
    </message>
    <message>
        <source>the load balancer serves this manager&apos;s console as %1 (%2 line %3), but carbon.xml has no MgtHostName, so the console&apos;s links lead to %4</source>
        <translation>der Load Balancer stellt die Konsole dieses Managers als %1 bereit (%2 Zeile %3), aber carbon.xml hat keinen MgtHostName, daher führen die Links der Konsole zu %4</translation>
    </message>
    <message>
        <source>the node itself</source>
        <translation>dem Knoten selbst</translation>
    </message>
    <message>
        <source>add &lt;MgtHostName&gt;%1&lt;/MgtHostName&gt; after &lt;HostName&gt;</source>
        <translation>fügen Sie &lt;MgtHostName&gt;%1&lt;/MgtHostName&gt; nach &lt;HostName&gt; ein</translation>
    </message>
    <message>
        <source>the node has no axis2.xml, so it cannot join the cluster</source>
        <translation>der Knoten hat keine axis2.xml und kann dem Cluster daher nicht beitreten</translation>
    </message>
    <message>
        <source>copy axis2.xml from another node and set its clustering section</source>
        <translation>kopieren Sie axis2.xml von einem anderen Knoten und passen Sie den Abschnitt clustering an</translation>
    </message>
    <message>
        <source>clustering is disabled, so this node will not join the cluster</source>
        <translation>Clustering ist deaktiviert, daher tritt dieser Knoten dem Cluster nicht bei</translation>
    </message>
    <message>
        <source>axis2.xml has no &lt;clustering&gt; section</source>
        <translation>axis2.xml hat keinen Abschnitt &lt;clustering&gt;</translation>
    </message>
    <message>
        <source>set enable=&quot;true&quot; on &lt;clustering&gt;</source>
        <translation>setzen Sie enable=&quot;true&quot; in &lt;clustering&gt;</translation>
    </message>
    <message>
        <source>add a &lt;clustering&gt; section with membershipScheme wka</source>
        <translation>fügen Sie einen Abschnitt &lt;clustering&gt; mit membershipScheme wka hinzu</translation>
    </message>
    <message>
        <source>localMemberHost</source>
        <translation>localMemberHost</translation>
    </message>
    <message>
        <source>well-known member</source>
        <translation>Well-Known Member</translation>
    </message>
    <message>
        <source>HostName</source>
        <translation>HostName</translation>
    </message>
    <message>
        <source>MgtHostName</source>
        <translation>MgtHostName</translation>
    </message>
    <message>
        <source>server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>the hosts file %1</source>
        <translation>die hosts-Datei %1</translation>
    </message>
    <message>
        <source>the system resolver</source>
        <translation>der System-Resolver</translation>
    </message>
    <message>
        <source>%1 &quot;%2&quot; resolves nowhere: %3 does not name it</source>
        <translation>%1 &quot;%2&quot; lässt sich nicht auflösen: %3 kennt den Namen nicht</translation>
    </message>
    <message>
        <source> (written on %1 too)</source>
        <translation> (auch auf %1 eingetragen)</translation>
    </message>
    <message>
        <source>add &quot;ADDRESS %1&quot; to %2, with the address of the server it names</source>
        <translation>tragen Sie &quot;ADDRESS %1&quot; in %2 ein, mit der Adresse des Servers, den der Name bezeichnet</translation>
    </message>
    <message>
        <source>add &quot;ADDRESS %1&quot; to the cluster&apos;s hosts file (or to the servers&apos; DNS), with the address of the server it names</source>
        <translation>tragen Sie &quot;ADDRESS %1&quot; in die hosts-Datei des Clusters (oder in das DNS der Server) ein, mit der Adresse des Servers, den der Name bezeichnet</translation>
    </message>
    <message>
        <source>the node names no localMemberHost and no servers file places it, so nothing tells which server it is on; port clashes with its neighbours go unseen</source>
        <translation>der Knoten nennt keinen localMemberHost, und keine servers-Datei ordnet ihn zu; daher ist unbekannt, auf welchem Server er läuft, und Portkonflikte mit seinen Nachbarn bleiben unentdeckt</translation>
    </message>
    <message>
        <source>add &quot;ADDRESS %1&quot; to the cluster&apos;s servers file, or set localMemberHost</source>
        <translation>tragen Sie &quot;ADDRESS %1&quot; in die servers-Datei des Clusters ein oder setzen Sie localMemberHost</translation>
    </message>
    <message>
        <source>localMemberHost %1 is this server&apos;s loopback address, but the cluster spans %2 servers: members on the others would reach themselves, not this node</source>
        <translation>localMemberHost %1 ist die Loopback-Adresse dieses Servers, der Cluster erstreckt sich aber über %2 Server: Mitglieder auf den anderen würden sich selbst erreichen, nicht diesen Knoten</translation>
    </message>
    <message>
        <source>set localMemberHost to %1, this node&apos;s server in the servers file</source>
        <translation>setzen Sie localMemberHost auf %1, den Server dieses Knotens laut servers-Datei</translation>
    </message>
    <message>
        <source>localMemberHost %1 is server %2, but the servers file (line %3) places the node on %4</source>
        <translation>localMemberHost %1 ist Server %2, aber die servers-Datei (Zeile %3) ordnet den Knoten %4 zu</translation>
    </message>
    <message>
        <source>set localMemberHost to %1, or correct the servers file</source>
        <translation>setzen Sie localMemberHost auf %1 oder korrigieren Sie die servers-Datei</translation>
    </message>
    <message>
        <source>membership port</source>
        <translation>Membership-Port</translation>
    </message>
    <message>
        <source>group_mgt_port of %1</source>
        <translation>group_mgt_port von %1</translation>
    </message>
    <message>
        <source>well-known member %1:%2 is no node of this cluster; it is near %3&apos;s %4 %5</source>
        <translation>Well-Known Member %1:%2 ist kein Knoten dieses Clusters; der Wert liegt nahe an %4 %5 von %3</translation>
    </message>
    <message>
        <source>set &lt;port&gt; to %1 if %2&apos;s %3 was meant</source>
        <translation>setzen Sie &lt;port&gt; auf %1, falls %3 von %2 gemeint war</translation>
    </message>
    <message>
        <source>well-known member %1:%2 (server %3) is no node of this cluster</source>
        <translation>Well-Known Member %1:%2 (Server %3) ist kein Knoten dieses Clusters</translation>
    </message>
    <message>
        <source>list the localMemberHost and localMemberPort of a node of %1 (e.g. %2 at %3:%4) or of the load balancer, or remove the entry</source>
        <translation>tragen Sie localMemberHost und localMemberPort eines Knotens von %1 (z. B. %2 unter %3:%4) oder des Load Balancers ein oder entfernen Sie den Eintrag</translation>
    </message>
    <message>
        <source>list the localMemberHost and localMemberPort of the load balancer or a manager node, or remove the entry</source>
        <translation>tragen Sie localMemberHost und localMemberPort des Load Balancers oder eines Manager-Knotens ein oder entfernen Sie den Eintrag</translation>
    </message>
    <message>
        <source>this node clusters with %1 (%2), the load balancer %3 with %4 (%5): they cannot form one cluster</source>
        <translation>dieser Knoten nutzt für das Clustering %1 (%2), der Load Balancer %3 dagegen %4 (%5): die beiden können keinen gemeinsamen Cluster bilden</translation>
    </message>
    <message>
        <source>set class=&quot;%1&quot; on &lt;clustering&gt;, as the load balancer has it</source>
        <translation>setzen Sie class=&quot;%1&quot; in &lt;clustering&gt;, wie beim Load Balancer</translation>
    </message>
    <message>
        <source>this node clusters with %1, node %2 of the same domain with %3: they cannot form one cluster</source>
        <translation>dieser Knoten nutzt für das Clustering %1, Knoten %2 derselben Domain dagegen %3: die beiden können keinen gemeinsamen Cluster bilden</translation>
    </message>
    <message>
        <source>set class=&quot;%1&quot; on &lt;clustering&gt;</source>
        <translation>setzen Sie class=&quot;%1&quot; in &lt;clustering&gt;</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 %2 (its %3)</source>
        <translation>%1 %2 (dort %3)</translation>
    </message>
    <message>
        <source>set &lt;Ports&gt;&lt;Offset&gt; to %1 in carbon.xml, the nearest offset free on server %2</source>
        <translation>setzen Sie &lt;Ports&gt;&lt;Offset&gt; in carbon.xml auf %1, den nächsten freien Offset auf Server %2</translation>
    </message>
    <message>
        <source>set localMemberPort to %1 in axis2.xml, a port free on server %2</source>
        <translation>setzen Sie localMemberPort in axis2.xml auf %1, einen freien Port auf Server %2</translation>
    </message>
    <message>
        <source>move the node to another server</source>
        <translation>verlegen Sie den Knoten auf einen anderen Server</translation>
    </message>
    <message>
        <source>; and </source>
        <translation>; und </translation>
    </message>
    <message>
        <source>on server %1, node %2 listens on the same ports: %3</source>
        <translation>auf Server %1 lauscht Knoten %2 auf denselben Ports: %3</translation>
    </message>
    <message>
        <source>keep group_mgt_port %1 as it is; on %2, %3</source>
        <translation>lassen Sie group_mgt_port %1 unverändert; auf %2: %3</translation>
    </message>
    <message>
        <source>keep this node as it is; on %1, %2</source>
        <translation>lassen Sie diesen Knoten unverändert; auf %1: %2</translation>
    </message>
    <message>
        <source>port.mapping.%1 sends traffic to port %2, which this node (offset %3) does not listen on</source>
        <translation>port.mapping.%1 leitet Datenverkehr an Port %2, auf dem dieser Knoten (Offset %3) nicht lauscht</translation>
    </message>
    <message>
        <source>set port.mapping.%1 to %2, the node&apos;s %3 port after its offset</source>
        <translation>setzen Sie port.mapping.%1 auf %2, den %3-Port des Knotens nach Anwendung seines Offsets</translation>
    </message>
    <message>
        <source>worker mounts the shared registry &quot;%1&quot; read-write; only the manager may write it</source>
        <translation>der Worker hängt die gemeinsame Registry &quot;%1&quot; mit Schreibzugriff ein; nur der Manager darf in sie schreiben</translation>
    </message>
    <message>
        <source>set &lt;readOnly&gt;true&lt;/readOnly&gt; in &lt;remoteInstance&gt; %1</source>
        <translation>setzen Sie &lt;readOnly&gt;true&lt;/readOnly&gt; in &lt;remoteInstance&gt; %1</translation>
    </message>
    <message>
        <source>manager mounts the shared registry &quot;%1&quot; read-only, so deployments cannot be stored</source>
        <translation>der Manager hängt die gemeinsame Registry &quot;%1&quot; schreibgeschützt ein, daher können Deployments nicht gespeichert werden</translation>
    </message>
    <message>
        <source>set &lt;readOnly&gt;false&lt;/readOnly&gt; in &lt;remoteInstance&gt; %1</source>
        <translation>setzen Sie &lt;readOnly&gt;false&lt;/readOnly&gt; in &lt;remoteInstance&gt; %1</translation>
    </message>
    <message>
        <source>no mount for %1, so this node keeps it in its local registry</source>
        <translation>kein Mount für %1, daher speichert dieser Knoten den Pfad in seiner lokalen Registry</translation>
    </message>
    <message>
        <source>add &lt;mount path=&quot;%1&quot; overwrite=&quot;true&quot;&gt; pointing at the shared remote instance</source>
        <translation>fügen Sie &lt;mount path=&quot;%1&quot; overwrite=&quot;true&quot;&gt; hinzu, das auf die gemeinsame Remote-Instanz verweist</translation>
    </message>
    <message>
        <source>mount %1 names remote instance &quot;%2&quot;, which is not defined</source>
        <translation>Mount %1 nennt die Remote-Instanz &quot;%2&quot;, die nicht definiert ist</translation>
    </message>
    <message>
        <source>define a &lt;remoteInstance&gt; with &lt;id&gt;%1&lt;/id&gt; or correct &lt;instanceId&gt;</source>
        <translation>definieren Sie eine &lt;remoteInstance&gt; mit &lt;id&gt;%1&lt;/id&gt; oder korrigieren Sie &lt;instanceId&gt;</translation>
    </message>
    <message>
        <source>remote instance &quot;%1&quot; uses dbConfig &quot;%2&quot;, which is not defined</source>
        <translation>Remote-Instanz &quot;%1&quot; verwendet dbConfig &quot;%2&quot;, das nicht definiert ist</translation>
    </message>
    <message>
        <source>add &lt;dbConfig name=&quot;%1&quot;&gt; or correct &lt;dbConfig&gt;</source>
        <translation>fügen Sie &lt;dbConfig name=&quot;%1&quot;&gt; hinzu oder korrigieren Sie &lt;dbConfig&gt;</translation>
    </message>
    <message>
        <source>mount %1 reaches database %2, but the other members of %3 share %4</source>
        <translation>Mount %1 greift auf Datenbank %2 zu, die anderen Mitglieder von %3 teilen sich aber %4</translation>
    </message>
    <message>
        <source>point the remote instance&apos;s dbConfig at the datasource for %1</source>
        <translation>lassen Sie das dbConfig der Remote-Instanz auf die Datenquelle für %1 verweisen</translation>
    </message>
    <message>
        <source>the local registry database %1 is also node %2&apos;s local registry; local registries must not be shared</source>
        <translation>die lokale Registry-Datenbank %1 ist auch die lokale Registry von Knoten %2; lokale Registrys dürfen nicht geteilt werden</translation>
    </message>
    <message>
        <source>create a database of its own for this node (e.g. %1) and point the datasource of currentDBConfig at it</source>
        <translation>legen Sie für diesen Knoten eine eigene Datenbank an (z. B. %1) und lassen Sie die Datenquelle von currentDBConfig darauf verweisen</translation>
    </message>
    <message>
        <source>cacheId &quot;%1&quot; is also used by node %2 for another database (%3 here, %4 there)</source>
        <translation>cacheId &quot;%1&quot; wird auch von Knoten %2 für eine andere Datenbank verwendet (hier %3, dort %4)</translation>
    </message>
    <message>
        <source>make cacheId name this instance&apos;s database, as user@jdbc-url: %1</source>
        <translation>lassen Sie cacheId die Datenbank dieser Instanz als user@jdbc-url benennen: %1</translation>
    </message>
    <message>
        <source>cacheId &quot;%1&quot; of remote instance %2 does not name the database it mounts, %3 as user %4 (datasource %5)</source>
        <translation>cacheId &quot;%1&quot; der Remote-Instanz %2 benennt nicht die eingehängte Datenbank %3 mit Benutzer %4 (Datenquelle %5)</translation>
    </message>
    <message>
        <source>set &lt;cacheId&gt; to %1, user@jdbc-url of that datasource</source>
        <translation>setzen Sie &lt;cacheId&gt; auf %1, user@jdbc-url dieser Datenquelle</translation>
    </message>
    <message>
        <source>cacheId &quot;%1&quot; names database %2, which node %3 caches as &quot;%4&quot;: the two keep separate caches of one registry</source>
        <translation>cacheId &quot;%1&quot; benennt Datenbank %2, die Knoten %3 als &quot;%4&quot; cacht: beide führen getrennte Caches derselben Registry</translation>
    </message>
    <message>
        <source>set &lt;cacheId&gt; to %1, as the other nodes of that database have it</source>
        <translation>setzen Sie &lt;cacheId&gt; auf %1, wie bei den anderen Knoten dieser Datenbank</translation>
    </message>
    <message>
        <source>the node has no registry.xml, so it shares no registry with the cluster</source>
        <translation>der Knoten hat keine registry.xml und teilt daher keine Registry mit dem Cluster</translation>
    </message>
    <message>
        <source>copy registry.xml from another member of %1</source>
        <translation>kopieren Sie registry.xml von einem anderen Mitglied von %1</translation>
    </message>
    <message>
        <source>1 error</source>
        <translation>1 Fehler</translation>
    </message>
    <message>
        <source>%1 errors</source>
        <translation>%1 Fehler</translation>
    </message>
    <message>
        <source>1 warning</source>
        <translation>1 Warnung</translation>
    </message>
    <message>
        <source>%1 warnings</source>
        <translation>%1 Warnungen</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1, %2</translation>
    </message>
</context>
<context>
    <name>tribune</name>
    <message>
        <source>Console for application-server clusters.</source>
        <translation>Konsole für Application-Server-Cluster.</translation>
    </message>
    <message>
        <source>A cluster folder, node folders or a loadbalancer.conf to open; or *.tribune-snapshot files, each opened alone, offline.</source>
        <translation>Ein Cluster-Ordner, Knotenordner oder eine loadbalancer.conf zum Öffnen; oder *.tribune-snapshot-Dateien, jede für sich und offline geöffnet.</translation>
    </message>
    <message>
        <source>A well-known member&apos;s membership port (repeatable).</source>
        <translation>Membership-Port eines Well-Known Members (wiederholbar).</translation>
    </message>
    <message>
        <source>The load balancer&apos;s admin socket; alone, without --seed, the console watches HAProxy by itself.</source>
        <translation>Admin-Socket des Load Balancers; allein, ohne --seed, überwacht die Konsole HAProxy selbst.</translation>
    </message>
    <message>
        <source>The cluster key file (mode 0600).</source>
        <translation>Die Schlüsseldatei des Clusters (Modus 0600).</translation>
    </message>
    <message>
        <source>console or viewer (default: the strongest key in the file).</source>
        <translation>console oder viewer (Standard: der stärkste Schlüssel in der Datei).</translation>
    </message>
    <message>
        <source>Use TLS, trusting this certificate authority.</source>
        <translation>TLS verwenden und dieser Zertifizierungsstelle vertrauen.</translation>
    </message>
    <message>
        <source>Save a picture of the window to FILE after a few seconds, then quit.</source>
        <translation>Nach einigen Sekunden ein Bild des Fensters in FILE speichern und beenden.</translation>
    </message>
    <message>
        <source>Where to keep history: sqlite:///path/history.sqlite or mysql://user:password@host:port/database; default: a SQLite file in the data folder.</source>
        <translation>Speicherort des Verlaufs: sqlite:///path/history.sqlite oder mysql://user:password@host:port/database; Standard: eine SQLite-Datei im Datenordner.</translation>
    </message>
    <message>
        <source>Keep no history.</source>
        <translation>Keinen Verlauf führen.</translation>
    </message>
    <message>
        <source>Resolve the cluster&apos;s host names with this file (/etc/hosts format) alone.</source>
        <translation>Hostnamen des Clusters ausschließlich mit dieser Datei (/etc/hosts-Format) auflösen.</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <source>Cannot Connect</source>
        <translation>Verbindung nicht möglich</translation>
    </message>
    <message>
        <source>Cannot Keep the Password</source>
        <translation>Passwort kann nicht gespeichert werden</translation>
    </message>
    <message>
        <source>The preferences are saved, but the history database&apos;s password could not be kept, so the next start will not have it: %1</source>
        <translation>Die Einstellungen sind gespeichert, aber das Passwort der Verlaufsdatenbank konnte nicht aufbewahrt werden und steht beim nächsten Start daher nicht zur Verfügung: %1</translation>
    </message>
</context>
<context>
    <name>tribune_agent</name>
    <message>
        <source>Membership, health and configuration service of one cluster node.</source>
        <translation>Membership-, Zustands- und Konfigurationsdienst eines Clusterknotens.</translation>
    </message>
    <message>
        <source>The node&apos;s CARBON_HOME (or its repository/conf).</source>
        <translation>CARBON_HOME des Knotens (oder sein repository/conf).</translation>
    </message>
    <message>
        <source>The cluster key file (mode 0600).</source>
        <translation>Die Schlüsseldatei des Clusters (Modus 0600).</translation>
    </message>
    <message>
        <source>Membership port, when the product itself uses localMemberPort.</source>
        <translation>Membership-Port, wenn das Produkt selbst localMemberPort verwendet.</translation>
    </message>
    <message>
        <source>Answer HTTP on the node&apos;s HTTP port (9763 plus offset).</source>
        <translation>HTTP auf dem HTTP-Port des Knotens beantworten (9763 plus Offset).</translation>
    </message>
    <message>
        <source>&quot;lb&quot; for the load balancer&apos;s agent.</source>
        <translation>&quot;lb&quot; für den Agenten des Load Balancers.</translation>
    </message>
    <message>
        <source>TLS certificate (PEM).</source>
        <translation>TLS-Zertifikat (PEM).</translation>
    </message>
    <message>
        <source>TLS private key (PEM).</source>
        <translation>Privater TLS-Schlüssel (PEM).</translation>
    </message>
    <message>
        <source>TLS certificate authority (PEM).</source>
        <translation>TLS-Zertifizierungsstelle (PEM).</translation>
    </message>
    <message>
        <source>loadbalancer.conf (default: the node&apos;s own).</source>
        <translation>loadbalancer.conf (Standard: die des Knotens).</translation>
    </message>
    <message>
        <source>Attach to a running HAProxy&apos;s admin socket instead of starting one.</source>
        <translation>An den Admin-Socket eines laufenden HAProxy anbinden, statt einen zu starten.</translation>
    </message>
    <message>
        <source>The haproxy program (default: haproxy).</source>
        <translation>Das Programm haproxy (Standard: haproxy).</translation>
    </message>
    <message>
        <source>Where HAProxy&apos;s configuration and socket go (default: CARBON_HOME/.tribune/haproxy).</source>
        <translation>Ablageort für Konfiguration und Socket von HAProxy (Standard: CARBON_HOME/.tribune/haproxy).</translation>
    </message>
    <message>
        <source>Resolve the node&apos;s host names with this file (/etc/hosts format) alone.</source>
        <translation>Hostnamen des Knotens ausschließlich mit dieser Datei (/etc/hosts-Format) auflösen.</translation>
    </message>
    <message>
        <source>The node&apos;s name for people (default: its CARBON_HOME folder&apos;s name).</source>
        <translation>Anzeigename des Knotens (Standard: Name seines CARBON_HOME-Ordners).</translation>
    </message>
    <message>
        <source>The cluster&apos;s servers file: which server this node is on when its files name no localMemberHost.</source>
        <translation>Die servers-Datei des Clusters: auf welchem Server dieser Knoten läuft, wenn seine Dateien keinen localMemberHost nennen.</translation>
    </message>
    <message>
        <source>Address HAProxy listens on (default: *).</source>
        <translation>Adresse, auf der HAProxy lauscht (Standard: *).</translation>
    </message>
    <message>
        <source>HAProxy&apos;s HTTP port (default: the ELB&apos;s http transport in axis2.xml, else 8280).</source>
        <translation>HTTP-Port von HAProxy (Standard: der http-Transport des ELB in axis2.xml, sonst 8280).</translation>
    </message>
    <message>
        <source>HAProxy&apos;s HTTPS port (default: the ELB&apos;s https transport in axis2.xml, else 8243).</source>
        <translation>HTTPS-Port von HAProxy (Standard: der https-Transport des ELB in axis2.xml, sonst 8243).</translation>
    </message>
    <message>
        <source>PEM for HAProxy&apos;s HTTPS listener.</source>
        <translation>PEM für den HTTPS-Listener von HAProxy.</translation>
    </message>
    <message>
        <source>Also open HAProxy&apos;s admin socket on this loopback HOST:PORT.</source>
        <translation>Den Admin-Socket von HAProxy zusätzlich auf diesem Loopback-HOST:PORT öffnen.</translation>
    </message>
    <message>
        <source>Tenant domain to tenant id map for tenant-aware routing.</source>
        <translation>Zuordnung von Tenant-Domain zu Tenant-ID für Tenant-basiertes Routing.</translation>
    </message>
    <message>
        <source>A bare node: wait on --listen for the node&apos;s first configuration, pushed by a console, then become that node.</source>
        <translation>Ein unkonfigurierter Knoten: auf --listen auf die erste, von einer Konsole übertragene Konfiguration des Knotens warten und dann zu diesem Knoten werden.</translation>
    </message>
    <message>
        <source>With --provision: where to wait.</source>
        <translation>Mit --provision: wo gewartet wird.</translation>
    </message>
    <message>
        <source>With --role lb: stop the HAProxy of the runtime folder (it outlives its agent on purpose) and exit.</source>
        <translation>Mit --role lb: den HAProxy des Laufzeitordners stoppen (er überdauert seinen Agenten absichtlich) und beenden.</translation>
    </message>
    <message>
        <source>tribune-agent: --stop-haproxy needs --role lb and --runtime-dir DIR (or --carbon-home DIR); see --help</source>
        <translation>tribune-agent: --stop-haproxy erfordert --role lb und --runtime-dir DIR (oder --carbon-home DIR); siehe --help</translation>
    </message>
    <message>
        <source>tribune-agent: --carbon-home and --key-file are required; see --help</source>
        <translation>tribune-agent: --carbon-home und --key-file sind erforderlich; siehe --help</translation>
    </message>
    <message>
        <source>tribune-agent: --provision needs --listen HOST:PORT; see --help</source>
        <translation>tribune-agent: --provision erfordert --listen HOST:PORT; siehe --help</translation>
    </message>
    <message>
        <source>tribune-agent: --port needs a port number, not &quot;%1&quot;</source>
        <translation>tribune-agent: --port erfordert eine Portnummer, nicht &quot;%1&quot;</translation>
    </message>
    <message>
        <source>tribune-agent: driving HAProxy through %1</source>
        <translation>tribune-agent: steuert HAProxy über %1</translation>
    </message>
    <message>
        <source>tribune-agent: member %1 of %2%3 listening on %4%5</source>
        <translation>tribune-agent: Mitglied %1 von %2%3 lauscht auf %4%5</translation>
    </message>
    <message>
        <source>, HTTP on %1</source>
        <translation>, HTTP auf %1</translation>
    </message>
    <message>
        <source>tribune-agent: %1 has a configuration already; starting as that node</source>
        <translation>tribune-agent: %1 hat bereits eine Konfiguration; startet als dieser Knoten</translation>
    </message>
    <message>
        <source>tribune-agent: the node&apos;s files are written to %1, but it could not start from them; fix what is said above and start tribune-agent without --provision</source>
        <translation>tribune-agent: Die Dateien des Knotens wurden nach %1 geschrieben, aber der Knoten konnte damit nicht starten; beheben Sie die oben genannten Probleme und starten Sie tribune-agent ohne --provision</translation>
    </message>
    <message>
        <source>tribune-agent: waiting on %1:%2 for this node&apos;s first configuration</source>
        <translation>tribune-agent: wartet auf %1:%2 auf die erste Konfiguration dieses Knotens</translation>
    </message>
</context>
<context>
    <name>tribunectl</name>
    <message>
        <source>tribunectl: unknown command &quot;%1&quot;

</source>
        <translation>tribunectl: unbekannter Befehl &quot;%1&quot;

</translation>
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
  service install CARBON_HOME [--lb]  run the node&apos;s agent under systemd
  traffic --target HOST:PORT --host NAME  send a steady stream of requests
  lb status|drain|ready|maint|weight --socket PATH  the load balancer&apos;s servers
  history check|events|samples [--history URL]  read the console&apos;s history
  snapshot export -o FILE | show FILE [--json] | diff A B | report --csv DIR FILE   snapshots

Run &apos;tribunectl COMMAND --help&apos; for a command&apos;s options.
</source>
        <translation>Aufruf: tribunectl COMMAND [OPTIONS]

Befehle:
  validate [--json] PATH...   die Konfigurationsdateien eines Clusters prüfen
  node plan --like NODE --host HOST [PATH...]   einen neuen Knoten nach Vorlage eines bestehenden planen
  db check --node-dir DIR [--create --admin-user USER]   die Datenbanken eines Knotens prüfen
  watch --seed HOST:PORT      die Mitgliedersicht ausgeben, danach jede Änderung
  members --seed HOST:PORT    die Mitgliedersicht einmal ausgeben
  health --node HOST:PORT     den Zustand eines Knotens ausgeben
  config ACTION --node HOST:PORT  get, push, backups oder rollback für die Dateien eines Knotens
  config diff DIR_A DIR_B | --node HOST:PORT --from DIR   Dateien von Knoten vergleichen
  config set --seed S --key-file K --node NODE FILE:KEY=VALUE...   typisierte Änderungen, geprüft
  keygen FILE                 eine neue Cluster-Schlüsseldatei schreiben
  render-haproxy LBCONF [-o CFG]  loadbalancer.conf als HAProxy-Konfiguration erzeugen
  service install CARBON_HOME [--lb]  den Agenten des Knotens unter systemd ausführen
  traffic --target HOST:PORT --host NAME  einen gleichmäßigen Strom von Anfragen senden
  lb status|drain|ready|maint|weight --socket PATH  die Server des Load Balancers
  history check|events|samples [--history URL]  den Verlauf der Konsole lesen
  snapshot export -o FILE | show FILE [--json] | diff A B | report --csv DIR FILE   Snapshots

&apos;tribunectl COMMAND --help&apos; zeigt die Optionen eines Befehls.
</translation>
    </message>
</context>
</TS>
