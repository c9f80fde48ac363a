<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>Tribune::AddNodeWizard</name>
    <message>
        <source>Review</source>
        <translation>Récapitulatif</translation>
    </message>
    <message>
        <source>What the node&apos;s files will be, and what the whole cluster would say with it. Nothing is written before Push.</source>
        <translation>Les futurs fichiers du nœud, et ce que donnerait la validation du cluster entier avec lui. Rien n&apos;est écrit tant que vous n&apos;avez pas cliqué sur Envoyer.</translation>
    </message>
    <message>
        <source>&amp;Push</source>
        <translation>&amp;Envoyer</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravité</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Nœud</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Constat</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>E&amp;xporter…</translation>
    </message>
    <message>
        <source>Write the node&apos;s files and plan.json as one archive, for a server reached by other means</source>
        <translation>Écrire les fichiers du nœud et plan.json dans une seule archive, pour un serveur atteint par d&apos;autres moyens</translation>
    </message>
    <message>
        <source>No bare agent was given: Export the plan for its server (tribunectl node apply --plan takes it there), or go back and give the agent&apos;s HOST:PORT to push.</source>
        <translation>Aucun agent vierge n&apos;a été indiqué&#xa0;: exportez le plan pour son serveur (tribunectl node apply --plan l&apos;y applique), ou revenez en arrière et indiquez le HOST:PORT de l&apos;agent pour envoyer.</translation>
    </message>
    <message>
        <source>Cannot push: %1</source>
        <translation>Envoi impossible&#xa0;: %1</translation>
    </message>
    <message numerus="yes">
        <source>Push is disabled: the node would bring %n error(s) to the cluster. Go back and change what they name.</source>
        <translation>
            <numerusform>Envoi désactivé&#xa0;: le nœud introduirait %n erreur dans le cluster. Revenez en arrière et modifiez ce qu&apos;elle désigne.</numerusform>
            <numerusform>Envoi désactivé&#xa0;: le nœud introduirait %n erreurs dans le cluster. Revenez en arrière et modifiez ce qu&apos;elles désignent.</numerusform>
        </translation>
    </message>
    <message>
        <source>The cluster stays clean with the node in it.</source>
        <translation>Le cluster reste sain avec ce nœud.</translation>
    </message>
    <message>
        <source>No error; read the warnings before you push.</source>
        <translation>Aucune erreur&#xa0;; lisez les avertissements avant d&apos;envoyer.</translation>
    </message>
    <message>
        <source>there is no plan to export</source>
        <translation>il n&apos;y a aucun plan à exporter</translation>
    </message>
    <message>
        <source>Export the Plan</source>
        <translation>Exporter le plan</translation>
    </message>
    <message>
        <source>Plan archive (*.tar.gz)</source>
        <translation>Archive du plan (*.tar.gz)</translation>
    </message>
    <message>
        <source>Exported to %1. On the node&apos;s server: tribunectl node apply --plan %1 --to HOST:PORT of its bare agent.</source>
        <translation>Exporté vers %1. Sur le serveur du nœud&#xa0;: tribunectl node apply --plan %1 --to HOST:PORT de son agent vierge.</translation>
    </message>
    <message>
        <source>Cannot Export the Plan</source>
        <translation>Impossible d&apos;exporter le plan</translation>
    </message>
    <message>
        <source>Push and join</source>
        <translation>Envoyer et rejoindre le cluster</translation>
    </message>
    <message>
        <source>Each node&apos;s files, then each step of the new node&apos;s join, with its time since the push.</source>
        <translation>Les fichiers de chaque nœud, puis chaque étape de l&apos;arrivée du nouveau nœud dans le cluster, avec le temps écoulé depuis l&apos;envoi.</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Temps</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Étape</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Détail</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>pushed</source>
        <translation>envoyé</translation>
    </message>
    <message>
        <source>not pushed</source>
        <translation>non envoyé</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2)&#xa0;: %3</translation>
    </message>
    <message>
        <source>&amp;Roll Back %1</source>
        <translation>&amp;Restaurer %1</translation>
    </message>
    <message>
        <source>rolled back</source>
        <translation>restauré</translation>
    </message>
    <message>
        <source>not rolled back</source>
        <translation>non restauré</translation>
    </message>
    <message>
        <source>Rolled back: the nodes the push changed have their files from before it.</source>
        <translation>Restauration effectuée&#xa0;: les nœuds modifiés par l&apos;envoi ont retrouvé leurs fichiers d&apos;avant.</translation>
    </message>
    <message>
        <source>Not every node could be rolled back; the list says which and why. Try again, or use the node&apos;s Configure… › Backups.</source>
        <translation>Certains nœuds n&apos;ont pas pu être restaurés&#xa0;; la liste indique lesquels et pourquoi. Réessayez, ou utilisez Configurer… › Sauvegardes sur le nœud.</translation>
    </message>
    <message>
        <source>Rolling back…</source>
        <translation>Restauration en cours…</translation>
    </message>
    <message>
        <source>Pushing…</source>
        <translation>Envoi en cours…</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Échec&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 keeps the files it took: stop its agent on %2, or push it corrected files with Configure….</source>
        <translation>%1 conserve les fichiers reçus&#xa0;: arrêtez son agent sur %2, ou envoyez-lui des fichiers corrigés avec Configurer….</translation>
    </message>
    <message>
        <source>A new node like an existing one</source>
        <translation>Un nouveau nœud sur le modèle d&apos;un nœud existant</translation>
    </message>
    <message>
        <source>Its files are the template&apos;s, with ports, hosts and its own local registry worked out for the new server.</source>
        <translation>Ses fichiers sont ceux du modèle, avec les ports, les hôtes et son propre registre local calculés pour le nouveau serveur.</translation>
    </message>
    <message>
        <source>default: the template&apos;s name and a number</source>
        <translation>par défaut&#xa0;: le nom du modèle suivi d&apos;un numéro</translation>
    </message>
    <message>
        <source>e.g. batch.esb.wso2.com</source>
        <translation>p. ex. batch.esb.wso2.com</translation>
    </message>
    <message>
        <source>&amp;Like:</source>
        <translation>&amp;Modèle&#xa0;:</translation>
    </message>
    <message>
        <source>Nam&amp;e:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Sub-domain:</source>
        <translation>Sous-&amp;domaine&#xa0;:</translation>
    </message>
    <message>
        <source>Served &amp;as:</source>
        <translation>Se&amp;rvi sous&#xa0;:</translation>
    </message>
    <message>
        <source>A new sub-domain, and its first node</source>
        <translation>Un nouveau sous-domaine et son premier nœud</translation>
    </message>
    <message>
        <source>a sub-domain the load balancer does not serve yet, e.g. batch</source>
        <translation>un sous-domaine que le répartiteur de charge ne sert pas encore, p. ex. batch</translation>
    </message>
    <message>
        <source>default: %1</source>
        <translation>par défaut&#xa0;: %1</translation>
    </message>
    <message>
        <source>A new sub-domain: the load balancer will serve it under these host names, with the node as its first member.</source>
        <translation>Un nouveau sous-domaine&#xa0;: le répartiteur de charge le servira sous ces noms d&apos;hôte, avec ce nœud comme premier membre.</translation>
    </message>
    <message>
        <source>Where it runs</source>
        <translation>Où il s&apos;exécute</translation>
    </message>
    <message>
        <source>The new node&apos;s server, and the agent started there with no configuration yet.</source>
        <translation>Le serveur du nouveau nœud, et l&apos;agent qui y a été démarré, encore sans configuration.</translation>
    </message>
    <message>
        <source>an address, or a name the cluster&apos;s hosts resolve</source>
        <translation>une adresse, ou un nom que les hôtes du cluster savent résoudre</translation>
    </message>
    <message>
        <source>HOST:PORT where the bare agent listens; none: export the plan</source>
        <translation>HOST:PORT où écoute l&apos;agent vierge&#xa0;; sans agent&#xa0;: exporter le plan</translation>
    </message>
    <message>
        <source>No node of the cluster runs there yet.</source>
        <translation>Aucun nœud du cluster ne s&apos;y exécute encore.</translation>
    </message>
    <message>
        <source>Already there:
%1</source>
        <translation>Déjà présents&#xa0;:
%1</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>&amp;Hôte&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Agent:</source>
        <translation>&amp;Agent&#xa0;:</translation>
    </message>
    <message>
        <source>On the server, run:</source>
        <translation>Sur le serveur, exécutez&#xa0;:</translation>
    </message>
    <message>
        <source>Copy the cluster&apos;s key file there first, readable by its owner only (chmod 600); the key itself is never shown.</source>
        <translation>Copiez d&apos;abord le fichier de clé du cluster sur ce serveur, lisible par son seul propriétaire (chmod 600)&#xa0;; la clé elle-même n&apos;est jamais affichée.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>Free on that server when planned; change them if you must.</source>
        <translation>Libres sur ce serveur au moment de la planification&#xa0;; modifiez-les si nécessaire.</translation>
    </message>
    <message>
        <source>Port &amp;offset:</source>
        <translation>&amp;Décalage de ports&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Membership port:</source>
        <translation>Port d&apos;&amp;appartenance&#xa0;:</translation>
    </message>
    <message>
        <source>Membership &amp;host:</source>
        <translation>&amp;Hôte d&apos;appartenance&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Well-known members:</source>
        <translation>Membres &amp;connus&#xa0;:</translation>
    </message>
    <message>
        <source>Hos&amp;tName:</source>
        <translation>Hos&amp;tName&#xa0;:</translation>
    </message>
    <message>
        <source>M&amp;gtHostName:</source>
        <translation>M&amp;gtHostName&#xa0;:</translation>
    </message>
    <message>
        <source>Cannot plan the node: %1</source>
        <translation>Impossible de planifier le nœud&#xa0;: %1</translation>
    </message>
    <message>
        <source>Server %1; sub-domain %2.</source>
        <translation>Serveur %1&#xa0;; sous-domaine %2.</translation>
    </message>
    <message>
        <source>Server %1; sub-domain %2; its local registry gets the database %3.</source>
        <translation>Serveur %1&#xa0;; sous-domaine %2&#xa0;; son registre local reçoit la base de données %3.</translation>
    </message>
    <message>
        <source>The template has: %1</source>
        <translation>Valeur du modèle&#xa0;: %1</translation>
    </message>
    <message>
        <source>(nothing)</source>
        <translation>(rien)</translation>
    </message>
    <message>
        <source>As the template has it</source>
        <translation>Comme dans le modèle</translation>
    </message>
    <message>
        <source>Cannot plan the node with these values: %1</source>
        <translation>Impossible de planifier le nœud avec ces valeurs&#xa0;: %1</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>Base de données</translation>
    </message>
    <message>
        <source>The shared registry and user store, and the node&apos;s local registry: test that each database is there and takes the node&apos;s credentials.</source>
        <translation>Le registre partagé et le référentiel d&apos;utilisateurs, et le registre local du nœud&#xa0;: vérifiez que chaque base de données existe et accepte les identifiants du nœud.</translation>
    </message>
    <message>
        <source>Cannot read the node&apos;s datasources: %1</source>
        <translation>Impossible de lire les sources de données du nœud&#xa0;: %1</translation>
    </message>
    <message>
        <source>Add a Node</source>
        <translation>Ajouter un nœud</translation>
    </message>
    <message>
        <source>New Sub-domain</source>
        <translation>Nouveau sous-domaine</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent</name>
    <message>
        <source>%1: the node has no axis2.xml to read its membership from</source>
        <translation>%1&#xa0;: le nœud n&apos;a pas d&apos;axis2.xml d&apos;où lire son appartenance</translation>
    </message>
    <message>
        <source>%1: localMemberHost %2 resolves nowhere%3; name its address there, or write the address itself</source>
        <translation>%1&#xa0;: localMemberHost %2 n&apos;est résolu nulle part%3&#xa0;; indiquez-y son adresse, ou écrivez l&apos;adresse elle-même</translation>
    </message>
    <message>
        <source> in %1</source>
        <translation> dans %1</translation>
    </message>
    <message>
        <source>well-known member %1:%2 resolves nowhere%3; it is left to the system resolver</source>
        <translation>le membre connu %1:%2 n&apos;est résolu nulle part%3&#xa0;; il est laissé au résolveur du système</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1&#xa0;: écriture impossible&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::AgentRuntime</name>
    <message>
        <source>the node&apos;s files are not valid; fix them and start again:</source>
        <translation>les fichiers du nœud ne sont pas valides&#xa0;; corrigez-les et relancez&#xa0;:</translation>
    </message>
    <message>
        <source>well-known member %1 answers again</source>
        <translation>le membre connu %1 répond de nouveau</translation>
    </message>
    <message>
        <source>cannot reach well-known member %1: %2</source>
        <translation>impossible de joindre le membre connu %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>port %1 on %2 is in use here (%3); free it, or plan the node with another port</source>
        <translation>le port %1 sur %2 est déjà utilisé ici (%3)&#xa0;; libérez-le, ou planifiez le nœud avec un autre port</translation>
    </message>
    <message>
        <source>the node&apos;s new files do not say which member it is; it stays %1: %2</source>
        <translation>les nouveaux fichiers du nœud n&apos;indiquent pas quel membre il est&#xa0;; il reste %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>the node&apos;s files name another member, but it stays %1: %2</source>
        <translation>les fichiers du nœud désignent un autre membre, mais il reste %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>rejoined as %1 (was %2)</source>
        <translation>a rejoint le cluster en tant que %1 (auparavant %2)</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::ConsoleService</name>
    <message>
        <source>a %1 key is read-only; use the console key to change a node&apos;s files</source>
        <translation>une clé %1 est en lecture seule&#xa0;; utilisez la clé console pour modifier les fichiers d&apos;un nœud</translation>
    </message>
    <message>
        <source>nothing changed: the files sent are the node&apos;s files already</source>
        <translation>aucun changement&#xa0;: les fichiers envoyés sont déjà ceux du nœud</translation>
    </message>
    <message>
        <source>pushed; the previous versions are kept as backup %1</source>
        <translation>envoyé&#xa0;; les versions précédentes sont conservées dans la sauvegarde %1</translation>
    </message>
    <message>
        <source>nothing changed: the node&apos;s files already equal backup %1</source>
        <translation>aucun changement&#xa0;: les fichiers du nœud sont déjà identiques à la sauvegarde %1</translation>
    </message>
    <message>
        <source>rolled back to backup %1; what it replaced is backup %2</source>
        <translation>restauré à partir de la sauvegarde %1&#xa0;; ce qui a été remplacé est conservé dans la sauvegarde %2</translation>
    </message>
    <message>
        <source>unknown request &quot;%1&quot;</source>
        <translation>requête inconnue «&#xa0;%1&#xa0;»</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::DatagramChannel</name>
    <message>
        <source>cannot bind UDP membership port %1:%2: %3</source>
        <translation>impossible de lier le port d&apos;appartenance UDP %1:%2&#xa0;: %3</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::HAProxySupervisor</name>
    <message>
        <source>cannot run %1: %2; install the haproxy package</source>
        <translation>impossible d&apos;exécuter %1&#xa0;: %2&#xa0;; installez le paquet haproxy</translation>
    </message>
    <message>
        <source>HAProxy refuses %1: %2</source>
        <translation>HAProxy refuse %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent (pid %1) still supervises HAProxy of %2 and would start it again: stop the agent first, then HAProxy</source>
        <translation>l&apos;agent du répartiteur de charge (pid %1) supervise toujours le HAProxy de %2 et le redémarrerait&#xa0;: arrêtez d&apos;abord l&apos;agent, puis HAProxy</translation>
    </message>
    <message>
        <source>%1 names HAProxy (pid %2) of another configuration (%3); it was not stopped</source>
        <translation>%1 désigne un HAProxy (pid %2) d&apos;une autre configuration (%3)&#xa0;; il n&apos;a pas été arrêté</translation>
    </message>
    <message>
        <source>no HAProxy of %1 is running</source>
        <translation>aucun HAProxy de %1 n&apos;est en cours d&apos;exécution</translation>
    </message>
    <message>
        <source>HAProxy (pid %1) of %2 does not stop, even killed</source>
        <translation>le HAProxy (pid %1) de %2 ne s&apos;arrête pas, même tué</translation>
    </message>
    <message>
        <source>stopped HAProxy (pid %1) of %2</source>
        <translation>HAProxy (pid %1) de %2 arrêté</translation>
    </message>
    <message>
        <source>an HAProxy already answers on %1, but %2 names no running master of %3: stop that HAProxy (or restore its pid file) and start again</source>
        <translation>un HAProxy répond déjà sur %1, mais %2 ne désigne aucun processus maître de %3 en cours d&apos;exécution&#xa0;: arrêtez ce HAProxy (ou restaurez son fichier pid) et relancez</translation>
    </message>
    <message>
        <source>cannot run %1: %2</source>
        <translation>impossible d&apos;exécuter %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>HAProxy did not start (exit code %1): %2</source>
        <translation>HAProxy n&apos;a pas démarré (code de sortie %1)&#xa0;: %2</translation>
    </message>
    <message>
        <source>HAProxy started but %1 names no running master of %2; see %3</source>
        <translation>HAProxy a démarré, mais %1 ne désigne aucun processus maître de %2 en cours d&apos;exécution&#xa0;; voir %3</translation>
    </message>
    <message>
        <source>HAProxy&apos;s master (pid %1) is gone</source>
        <translation>le processus maître de HAProxy (pid %1) a disparu</translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket %1 did not answer</source>
        <translation>le socket d&apos;administration %1 de HAProxy n&apos;a pas répondu</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::LoadBalancerDriver</name>
    <message>
        <source>adding %1 to %2: %3</source>
        <translation>ajout de %1 à %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>removing %1 from %2: %3</source>
        <translation>retrait de %1 de %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>reading HAProxy&apos;s servers: %1</source>
        <translation>lecture des serveurs de HAProxy&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::LoadBalancerRole</name>
    <message>
        <source>cannot create %1</source>
        <translation>impossible de créer %1</translation>
    </message>
    <message>
        <source>another load balancer&apos;s agent (pid %1) supervises the HAProxy of %2</source>
        <translation>l&apos;agent d&apos;un autre répartiteur de charge (pid %1) supervise le HAProxy de %2</translation>
    </message>
    <message>
        <source>took over the running HAProxy (pid %1)</source>
        <translation>prise en charge du HAProxy en cours d&apos;exécution (pid %1)</translation>
    </message>
    <message>
        <source>loadbalancer.conf not applied, HAProxy keeps its configuration: %1</source>
        <translation>loadbalancer.conf non appliqué, HAProxy conserve sa configuration&#xa0;: %1</translation>
    </message>
    <message>
        <source>loadbalancer.conf names backends HAProxy does not have (%1); its runtime API cannot add them: reload HAProxy with the backends of %2 (its owner&apos;s job), then they are served</source>
        <translation>loadbalancer.conf désigne des backends que HAProxy n&apos;a pas (%1)&#xa0;; son API runtime ne peut pas les ajouter&#xa0;: rechargez HAProxy avec les backends de %2 (c&apos;est le rôle de son propriétaire), ils seront alors servis</translation>
    </message>
    <message>
        <source>loadbalancer.conf names new backends (%1) that need a reload of HAProxy by its owner; rendering them failed: %2</source>
        <translation>loadbalancer.conf désigne de nouveaux backends (%1) qui exigent un rechargement de HAProxy par son propriétaire&#xa0;; leur génération a échoué&#xa0;: %2</translation>
    </message>
    <message>
        <source>loadbalancer.conf applied by a seamless reload</source>
        <translation>loadbalancer.conf appliqué par un rechargement sans interruption</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::MembershipService</name>
    <message>
        <source>%1: cannot read the TLS key: %2</source>
        <translation>%1&#xa0;: impossible de lire la clé TLS&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot listen on membership port %1:%2: %3</source>
        <translation>impossible d&apos;écouter sur le port d&apos;appartenance %1:%2&#xa0;: %3</translation>
    </message>
    <message>
        <source>announced by a peer</source>
        <translation>annoncé par un pair</translation>
    </message>
    <message>
        <source>joined through %1</source>
        <translation>a rejoint le cluster via %1</translation>
    </message>
    <message>
        <source>well-known member</source>
        <translation>membre connu</translation>
    </message>
    <message>
        <source>listed by %1</source>
        <translation>listé par %1</translation>
    </message>
    <message>
        <source>left the cluster</source>
        <translation>a quitté le cluster</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>remplacé</translation>
    </message>
    <message>
        <source>; listening on the old port %1 failed too (%2): the node takes no member connections until its agent is restarted</source>
        <translation>&#xa0;; l&apos;écoute sur l&apos;ancien port %1 a également échoué (%2)&#xa0;: le nœud n&apos;accepte plus aucune connexion de membre tant que son agent n&apos;est pas redémarré</translation>
    </message>
    <message>
        <source>no longer in this node&apos;s view after its configuration changed</source>
        <translation>n&apos;est plus dans la vue de ce nœud après le changement de sa configuration</translation>
    </message>
    <message>
        <source>rejoined as %1 after a configuration change</source>
        <translation>a rejoint le cluster en tant que %1 après un changement de configuration</translation>
    </message>
    <message>
        <source>its domain is no longer served</source>
        <translation>son domaine n&apos;est plus servi</translation>
    </message>
    <message>
        <source>the load balancer&apos;s domains changed; join again</source>
        <translation>les domaines du répartiteur de charge ont changé&#xa0;; rejoignez de nouveau le cluster</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::NodeHttpServer</name>
    <message>
        <source>Cannot listen on %1 port %2: %3</source>
        <translation>Impossible d&apos;écouter sur le port %1 %2&#xa0;: %3</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::ProvisioningService</name>
    <message>
        <source>provisioning needs the console key in the key file</source>
        <translation>le provisionnement nécessite la clé console dans le fichier de clé</translation>
    </message>
    <message>
        <source>cannot create %1/repository/conf</source>
        <translation>impossible de créer %1/repository/conf</translation>
    </message>
    <message>
        <source>cannot listen on %1:%2 for provisioning: %3</source>
        <translation>impossible d&apos;écouter sur %1:%2 pour le provisionnement&#xa0;: %3</translation>
    </message>
    <message>
        <source>provisioned already</source>
        <translation>déjà provisionné</translation>
    </message>
    <message>
        <source>this node has its configuration already; push through its own agent</source>
        <translation>ce nœud a déjà sa configuration&#xa0;; envoyez-la via son propre agent</translation>
    </message>
    <message>
        <source>provisioned; connect to the node&apos;s membership port</source>
        <translation>provisionné&#xa0;; connectez-vous au port d&apos;appartenance du nœud</translation>
    </message>
    <message>
        <source>this agent waits for its node&apos;s first configuration; push it (tribunectl node apply --to) and ask again</source>
        <translation>cet agent attend la première configuration de son nœud&#xa0;; envoyez-la (tribunectl node apply --to) puis refaites la demande</translation>
    </message>
    <message>
        <source>not provisioned, nothing was written: the files do not make a node that can start:
  %1</source>
        <translation>non provisionné, rien n&apos;a été écrit&#xa0;: ces fichiers ne forment pas un nœud capable de démarrer&#xa0;:
  %1</translation>
    </message>
    <message numerus="yes">
        <source>provisioned: the node starts from the %n file(s) pushed</source>
        <translation>
            <numerusform>provisionné&#xa0;: le nœud démarre avec %n fichier envoyé</numerusform>
            <numerusform>provisionné&#xa0;: le nœud démarre avec les %n fichiers envoyés</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::SwimCore</name>
    <message>
        <source>replaced by a restarted incarnation</source>
        <translation>remplacé par une incarnation redémarrée</translation>
    </message>
    <message>
        <source>answered with incarnation %1; the suspicion was wrong</source>
        <translation>a répondu avec l&apos;incarnation %1&#xa0;; la suspicion était infondée</translation>
    </message>
    <message>
        <source>rejoined as %1 after a configuration change</source>
        <translation>a rejoint le cluster en tant que %1 après un changement de configuration</translation>
    </message>
    <message numerus="yes">
        <source>no answer to a direct or %n indirect probe(s)</source>
        <translation>
            <numerusform>aucune réponse à une sonde directe ni à %n sonde indirecte</numerusform>
            <numerusform>aucune réponse à une sonde directe ni à %n sondes indirectes</numerusform>
        </translation>
    </message>
    <message>
        <source>suspected by %1</source>
        <translation>suspecté par %1</translation>
    </message>
    <message numerus="yes">
        <source>no answer to probes; suspected for %1 ms by %n member(s) without refutation (memberDropTime %2 ms)</source>
        <translation>
            <numerusform>aucune réponse aux sondes&#xa0;; suspecté depuis %1 ms par %n membre sans réfutation (memberDropTime %2 ms)</numerusform>
            <numerusform>aucune réponse aux sondes&#xa0;; suspecté depuis %1 ms par %n membres sans réfutation (memberDropTime %2 ms)</numerusform>
        </translation>
    </message>
    <message>
        <source>announced by a peer</source>
        <translation>annoncé par un pair</translation>
    </message>
    <message>
        <source>declared failed by %1: no answer to its probes (memberDropTime %2 ms)</source>
        <translation>déclaré en échec par %1&#xa0;: aucune réponse à ses sondes (memberDropTime %2 ms)</translation>
    </message>
    <message>
        <source>left the cluster</source>
        <translation>a quitté le cluster</translation>
    </message>
    <message>
        <source>heard from directly</source>
        <translation>message reçu directement</translation>
    </message>
</context>
<context>
    <name>Tribune::Cli</name>
    <message>
        <source>Prints the membership view, then every change, one JSON object per line.</source>
        <translation>Affiche la vue d&apos;appartenance, puis chaque changement, un objet JSON par ligne.</translation>
    </message>
    <message>
        <source>Stop after N events.</source>
        <translation>S&apos;arrêter après N événements.</translation>
    </message>
    <message>
        <source>%1: %2; reconnecting</source>
        <translation>%1&#xa0;: %2&#xa0;; reconnexion</translation>
    </message>
    <message>
        <source>Prints the membership view once.</source>
        <translation>Affiche une seule fois la vue d&apos;appartenance.</translation>
    </message>
    <message>
        <source>Print one JSON document.</source>
        <translation>Afficher un seul document JSON.</translation>
    </message>
    <message>
        <source>MEMBER</source>
        <translation>MEMBRE</translation>
    </message>
    <message>
        <source>STATE</source>
        <translation>ÉTAT</translation>
    </message>
    <message>
        <source>DOMAIN</source>
        <translation>DOMAINE</translation>
    </message>
    <message>
        <source>SUB-DOMAIN</source>
        <translation>SOUS-DOM.</translation>
    </message>
    <message>
        <source>HTTP/HTTPS</source>
        <translation>HTTP/HTTPS</translation>
    </message>
    <message>
        <source>Prints a node&apos;s health: uptime, CPU, memory, probe round trips, probes and gossip sent.</source>
        <translation>Affiche l&apos;état de santé d&apos;un nœud&#xa0;: temps de fonctionnement, CPU, mémoire, allers-retours des sondes, sondes et messages gossip envoyés.</translation>
    </message>
    <message>
        <source>Writes a fresh cluster key file (mode 0600) with member, console and viewer keys.</source>
        <translation>Écrit un nouveau fichier de clé du cluster (mode 0600) avec les clés member, console et viewer.</translation>
    </message>
    <message>
        <source>Where to write the keys.</source>
        <translation>Où écrire les clés.</translation>
    </message>
    <message>
        <source>Take the keys from this key file instead of new ones.</source>
        <translation>Reprendre les clés de ce fichier de clé au lieu d&apos;en créer de nouvelles.</translation>
    </message>
    <message>
        <source>Keep only this role&apos;s key (e.g. a viewer&apos;s file).</source>
        <translation>Ne garder que la clé de ce rôle (p. ex. pour le fichier d&apos;un viewer).</translation>
    </message>
    <message>
        <source>keygen: name one FILE</source>
        <translation>keygen&#xa0;: indiquez un seul FILE</translation>
    </message>
    <message>
        <source>keygen: unknown role &quot;%1&quot;; use member, console or viewer</source>
        <translation>keygen&#xa0;: rôle «&#xa0;%1&#xa0;» inconnu&#xa0;; utilisez member, console ou viewer</translation>
    </message>
    <message>
        <source>Reads or changes a node&apos;s configuration files through its agent.</source>
        <translation>Lit ou modifie les fichiers de configuration d&apos;un nœud via son agent.</translation>
    </message>
    <message>
        <source>get, push, backups, backup, rollback, diff or set</source>
        <translation>get, push, backups, backup, rollback, diff ou set</translation>
    </message>
    <message>
        <source>get: write the files under this folder.</source>
        <translation>get&#xa0;: écrire les fichiers dans ce dossier.</translation>
    </message>
    <message>
        <source>push: a repository/conf folder to send files from.</source>
        <translation>push&#xa0;: un dossier repository/conf d&apos;où envoyer les fichiers.</translation>
    </message>
    <message>
        <source>backup: the backup to read; rollback: the backup to restore.</source>
        <translation>backup&#xa0;: la sauvegarde à lire&#xa0;; rollback&#xa0;: la sauvegarde à restaurer.</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1&#xa0;: lecture impossible&#xa0;: %2</translation>
    </message>
    <message>
        <source>config: use get [--out DIR], push --from DIR [FILE...], backups, backup --number N [--out DIR], or rollback --number N</source>
        <translation>config&#xa0;: utilisez get [--out DIR], push --from DIR [FILE...], backups, backup --number N [--out DIR], ou rollback --number N</translation>
    </message>
    <message>
        <source>%1: not written: %2</source>
        <translation>%1&#xa0;: non écrit&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: absent in the backup</source>
        <translation>%1&#xa0;: absent de la sauvegarde</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1&#xa0;: écriture impossible&#xa0;: %2</translation>
    </message>
    <message>
        <source>The agent&apos;s membership port, HOST:PORT.</source>
        <translation>Le port d&apos;appartenance de l&apos;agent, HOST:PORT.</translation>
    </message>
    <message>
        <source>The cluster key file (mode 0600).</source>
        <translation>Le fichier de clé du cluster (mode 0600).</translation>
    </message>
    <message>
        <source>console or viewer (default: the strongest key in the file).</source>
        <translation>console ou viewer (par défaut&#xa0;: la clé la plus forte du fichier).</translation>
    </message>
    <message>
        <source>Use TLS, trusting this certificate authority (PEM).</source>
        <translation>Utiliser TLS, en faisant confiance à cette autorité de certification (PEM).</translation>
    </message>
    <message>
        <source>--%1 and --key-file are required; see --help</source>
        <translation>--%1 et --key-file sont obligatoires&#xa0;; voir --help</translation>
    </message>
    <message>
        <source>no usable key for role &quot;%1&quot; in %2</source>
        <translation>aucune clé utilisable pour le rôle «&#xa0;%1&#xa0;» dans %2</translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation>refusé&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Resolve host names with this file (/etc/hosts format) alone, instead of the cluster folder&apos;s hosts file or the system resolver.</source>
        <translation>Résoudre les noms d&apos;hôte uniquement avec ce fichier (format /etc/hosts), au lieu du fichier hosts du dossier du cluster ou du résolveur du système.</translation>
    </message>
    <message>
        <source>name at least one PATH, or --seed HOST:PORT with --key-file for the running cluster; see --help</source>
        <translation>indiquez au moins un PATH, ou --seed HOST:PORT avec --key-file pour le cluster en service&#xa0;; voir --help</translation>
    </message>
    <message>
        <source>%1: not a node&apos;s folder (no repository/conf/axis2/axis2.xml or carbon.xml)</source>
        <translation>%1&#xa0;: ce n&apos;est pas le dossier d&apos;un nœud (ni repository/conf/axis2/axis2.xml ni carbon.xml)</translation>
    </message>
    <message>
        <source>Shows how two nodes&apos; configuration files differ, or a folder from a node&apos;s live files.</source>
        <translation>Montre en quoi les fichiers de configuration de deux nœuds diffèrent, ou en quoi un dossier diffère des fichiers en service d&apos;un nœud.</translation>
    </message>
    <message>
        <source>Two node folders, unless --node and --from.</source>
        <translation>Deux dossiers de nœuds, sauf avec --node et --from.</translation>
    </message>
    <message>
        <source>The folder to hold against the node&apos;s live files.</source>
        <translation>Le dossier à comparer aux fichiers en service du nœud.</translation>
    </message>
    <message>
        <source>config diff: name two node folders, or --node HOST:PORT --key-file K --from DIR</source>
        <translation>config diff&#xa0;: indiquez deux dossiers de nœuds, ou --node HOST:PORT --key-file K --from DIR</translation>
    </message>
    <message>
        <source>config diff: --node needs --from DIR and no other folder</source>
        <translation>config diff&#xa0;: --node exige --from DIR et aucun autre dossier</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2)&#xa0;: %3</translation>
    </message>
    <message>
        <source>Changes one node&apos;s files of the running cluster by typed edits, validated against the whole cluster before anything is written.</source>
        <translation>Modifie les fichiers d&apos;un nœud du cluster en service par des modifications typées, validées sur le cluster entier avant toute écriture.</translation>
    </message>
    <message>
        <source>FILE:KEY=VALUE, e.g. axis2.xml:localMemberPort=4010.</source>
        <translation>FILE:KEY=VALUE, p. ex. axis2.xml:localMemberPort=4010.</translation>
    </message>
    <message>
        <source>The node to change: its name or HOST:PORT.</source>
        <translation>Le nœud à modifier&#xa0;: son nom ou HOST:PORT.</translation>
    </message>
    <message>
        <source>Show the plan; write nothing.</source>
        <translation>Afficher le plan&#xa0;; ne rien écrire.</translation>
    </message>
    <message>
        <source>config set: %1</source>
        <translation>config set&#xa0;: %1</translation>
    </message>
    <message>
        <source>config set: use --seed S --key-file K --node NODE FILE:KEY=VALUE...; see --help</source>
        <translation>config set&#xa0;: utilisez --seed S --key-file K --node NODE FILE:KEY=VALUE...&#xa0;; voir --help</translation>
    </message>
    <message>
        <source>What the change brings:</source>
        <translation>Ce qu&apos;entraîne la modification&#xa0;:</translation>
    </message>
    <message>
        <source>config set: not written: the change would bring errors to the cluster</source>
        <translation>config set&#xa0;: rien n&apos;a été écrit&#xa0;: la modification introduirait des erreurs dans le cluster</translation>
    </message>
    <message>
        <source>Nothing to change.</source>
        <translation>Rien à modifier.</translation>
    </message>
    <message>
        <source>Checks a node&apos;s databases: reachable, credentials, database, registry tables; creates missing ones when asked.</source>
        <translation>Vérifie les bases de données d&apos;un nœud&#xa0;: accessibilité, identifiants, base, tables du registre&#xa0;; crée celles qui manquent sur demande.</translation>
    </message>
    <message>
        <source>The action: check.</source>
        <translation>L&apos;action&#xa0;: check.</translation>
    </message>
    <message>
        <source>The node&apos;s CARBON_HOME or repository/conf.</source>
        <translation>Le CARBON_HOME ou le repository/conf du nœud.</translation>
    </message>
    <message>
        <source>Create missing databases and grant their users (needs --admin-user; the password is read from standard input).</source>
        <translation>Créer les bases de données manquantes et accorder les droits à leurs utilisateurs (nécessite --admin-user&#xa0;; le mot de passe est lu sur l&apos;entrée standard).</translation>
    </message>
    <message>
        <source>The database administrator.</source>
        <translation>L&apos;administrateur de la base de données.</translation>
    </message>
    <message>
        <source>With --seed: the live node, by name or HOST:PORT.</source>
        <translation>Avec --seed&#xa0;: le nœud en service, par son nom ou HOST:PORT.</translation>
    </message>
    <message>
        <source>db: use check --node-dir DIR, or check --seed S --key-file K --node NODE, [--create --admin-user USER]; see --help</source>
        <translation>db&#xa0;: utilisez check --node-dir DIR, ou check --seed S --key-file K --node NODE, [--create --admin-user USER]&#xa0;; voir --help</translation>
    </message>
    <message>
        <source>no such node in the running cluster</source>
        <translation>aucun nœud de ce nom dans le cluster en service</translation>
    </message>
    <message>
        <source>%1: the node has no master-datasources.xml</source>
        <translation>%1&#xa0;: le nœud n&apos;a pas de master-datasources.xml</translation>
    </message>
    <message>
        <source>db: the node could not be read</source>
        <translation>db&#xa0;: le nœud n&apos;a pas pu être lu</translation>
    </message>
    <message>
        <source>db: cannot read the administrator&apos;s password from standard input</source>
        <translation>db&#xa0;: impossible de lire le mot de passe de l&apos;administrateur sur l&apos;entrée standard</translation>
    </message>
    <message>
        <source>%1: created database %2 and granted %3</source>
        <translation>%1&#xa0;: base de données %2 créée et droits accordés à %3</translation>
    </message>
    <message>
        <source>The history: sqlite:///path/history.sqlite, mysql://user:password@host:port/database or postgresql://...; default: the SQLite file the console uses, %1.</source>
        <translation>L&apos;historique&#xa0;: sqlite:///path/history.sqlite, mysql://user:password@host:port/database ou postgresql://...&#xa0;; par défaut&#xa0;: le fichier SQLite qu&apos;utilise la console, %1.</translation>
    </message>
    <message>
        <source>Only from T on: ISO 8601 such as 2026-11-23T10:00:00Z (without Z or an offset: local time), or an age before now such as 15m, 2h or 1d.</source>
        <translation>Uniquement à partir de T&#xa0;: ISO 8601, p. ex. 2026-11-23T10:00:00Z (sans Z ni décalage&#xa0;: heure locale), ou une ancienneté par rapport à maintenant, p. ex. 15m, 2h ou 1d.</translation>
    </message>
    <message>
        <source>Only up to T, in the forms --from takes.</source>
        <translation>Uniquement jusqu&apos;à T, sous les formes qu&apos;accepte --from.</translation>
    </message>
    <message>
        <source>history %1: unexpected argument &quot;%2&quot;; see --help</source>
        <translation>history %1&#xa0;: argument inattendu «&#xa0;%2&#xa0;»&#xa0;; voir --help</translation>
    </message>
    <message>
        <source>history %1: --%2 &quot;%3&quot; is not a time; use ISO 8601 such as 2026-11-23T10:00:00Z, or an age before now such as 90s, 15m, 2h or 1d</source>
        <translation>history %1&#xa0;: --%2 «&#xa0;%3&#xa0;» n&apos;est pas une date&#xa0;; utilisez le format ISO 8601, p. ex. 2026-11-23T10:00:00Z, ou une ancienneté par rapport à maintenant, p. ex. 90s, 15m, 2h ou 1d</translation>
    </message>
    <message>
        <source>Opens the history, creating its tables if need be, and tells where it is and what it holds.</source>
        <translation>Ouvre l&apos;historique, en créant ses tables si besoin, et indique où il se trouve et ce qu&apos;il contient.</translation>
    </message>
    <message>
        <source>History: %1</source>
        <translation>Historique&#xa0;: %1</translation>
    </message>
    <message>
        <source>Events: %1, from %2 to %3</source>
        <translation>Événements&#xa0;: %1, de %2 à %3</translation>
    </message>
    <message>
        <source>Events: none</source>
        <translation>Événements&#xa0;: aucun</translation>
    </message>
    <message>
        <source>Samples: %1 one-second rows and %2 one-minute rows, from %3 to %4</source>
        <translation>Échantillons&#xa0;: %1 lignes à la seconde et %2 lignes à la minute, de %3 à %4</translation>
    </message>
    <message>
        <source>Samples: none</source>
        <translation>Échantillons&#xa0;: aucun</translation>
    </message>
    <message>
        <source>Prints the events in the history, newest first.</source>
        <translation>Affiche les événements de l&apos;historique, du plus récent au plus ancien.</translation>
    </message>
    <message>
        <source>Only events whose member, reason or kind contains TEXT, ignoring case.</source>
        <translation>Uniquement les événements dont le membre, le motif ou le type contient TEXT, sans tenir compte de la casse.</translation>
    </message>
    <message>
        <source>At most N events, the newest (default %1; 0 for all).</source>
        <translation>Au plus N événements, les plus récents (par défaut %1&#xa0;; 0 pour tous).</translation>
    </message>
    <message>
        <source>history events: --limit &quot;%1&quot; is not a number of events; use a whole number, 0 for all</source>
        <translation>history events&#xa0;: --limit «&#xa0;%1&#xa0;» n&apos;est pas un nombre d&apos;événements&#xa0;; utilisez un nombre entier, 0 pour tous</translation>
    </message>
    <message>
        <source>No events.</source>
        <translation>Aucun événement.</translation>
    </message>
    <message>
        <source>TIME</source>
        <translation>HEURE</translation>
    </message>
    <message>
        <source>KIND</source>
        <translation>TYPE</translation>
    </message>
    <message>
        <source>DOMAIN/SUB-DOMAIN</source>
        <translation>DOMAINE/SOUS-DOMAINE</translation>
    </message>
    <message>
        <source>REASON</source>
        <translation>MOTIF</translation>
    </message>
    <message>
        <source>Prints a member&apos;s traffic samples in time order; for several members, their sum (response time: the members&apos; average).</source>
        <translation>Affiche les échantillons de trafic d&apos;un membre par ordre chronologique&#xa0;; pour plusieurs membres, leur somme (temps de réponse&#xa0;: la moyenne des membres).</translation>
    </message>
    <message>
        <source>A member&apos;s id (repeatable).</source>
        <translation>L&apos;identifiant d&apos;un membre (répétable).</translation>
    </message>
    <message>
        <source>history samples: name at least one --member ID; see --help</source>
        <translation>history samples&#xa0;: indiquez au moins un --member ID&#xa0;; voir --help</translation>
    </message>
    <message>
        <source>No samples.</source>
        <translation>Aucun échantillon.</translation>
    </message>
    <message>
        <source>REQUESTS/S</source>
        <translation>REQUÊTES/S</translation>
    </message>
    <message>
        <source>SESSIONS</source>
        <translation>SESSIONS</translation>
    </message>
    <message>
        <source>BYTES IN/S</source>
        <translation>OCTETS REÇUS/S</translation>
    </message>
    <message>
        <source>BYTES OUT/S</source>
        <translation>OCTETS ÉMIS/S</translation>
    </message>
    <message>
        <source>5XX/S</source>
        <translation>5XX/S</translation>
    </message>
    <message>
        <source>RESPONSE MS</source>
        <translation>RÉPONSE MS</translation>
    </message>
    <message>
        <source>history: name an action first</source>
        <translation>history&#xa0;: indiquez d&apos;abord une action</translation>
    </message>
    <message>
        <source>history: unknown action &quot;%1&quot;</source>
        <translation>history&#xa0;: action «&#xa0;%1&#xa0;» inconnue</translation>
    </message>
    <message>
        <source>Usage: tribunectl history ACTION [OPTIONS]

Actions:
  check     where the history is and what it holds
  events    the event log, newest first
  samples   a member&apos;s traffic samples, or several members&apos; sum

Run &apos;tribunectl history ACTION --help&apos; for an action&apos;s options.
</source>
        <translation>Utilisation&#xa0;: tribunectl history ACTION [OPTIONS]

Actions&#xa0;:
  check     où se trouve l&apos;historique et ce qu&apos;il contient
  events    le journal des événements, du plus récent au plus ancien
  samples   les échantillons de trafic d&apos;un membre, ou la somme de plusieurs membres

Exécutez «&#xa0;tribunectl history ACTION --help&#xa0;» pour les options d&apos;une action.
</translation>
    </message>
    <message>
        <source>BACKEND/SERVER</source>
        <translation>BACKEND/SERVEUR</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>STATUT</translation>
    </message>
    <message>
        <source>CHECK</source>
        <translation>CONTRÔLE</translation>
    </message>
    <message>
        <source>WEIGHT</source>
        <translation>POIDS</translation>
    </message>
    <message>
        <source>SESS</source>
        <translation>SESS</translation>
    </message>
    <message>
        <source>RATE</source>
        <translation>TAUX</translation>
    </message>
    <message>
        <source>BYTES IN</source>
        <translation>OCTETS REÇUS</translation>
    </message>
    <message>
        <source>BYTES OUT</source>
        <translation>OCTETS ÉMIS</translation>
    </message>
    <message>
        <source>Shows and changes the load balancer&apos;s servers through HAProxy&apos;s admin socket.</source>
        <translation>Affiche et modifie les serveurs du répartiteur de charge via le socket d&apos;administration de HAProxy.</translation>
    </message>
    <message>
        <source>status, drain, ready, maint or weight</source>
        <translation>status, drain, ready, maint ou weight</translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket.</source>
        <translation>Le socket d&apos;administration de HAProxy.</translation>
    </message>
    <message>
        <source>status: print one JSON document.</source>
        <translation>status&#xa0;: afficher un seul document JSON.</translation>
    </message>
    <message>
        <source>lb: --socket PATH|HOST:PORT is required</source>
        <translation>lb&#xa0;: --socket PATH|HOST:PORT est obligatoire</translation>
    </message>
    <message>
        <source>lb: use status, drain|ready|maint BACKEND/SERVER, or weight BACKEND/SERVER N</source>
        <translation>lb&#xa0;: utilisez status, drain|ready|maint BACKEND/SERVER, ou weight BACKEND/SERVER N</translation>
    </message>
    <message>
        <source>%1: no such server</source>
        <translation>%1&#xa0;: serveur inexistant</translation>
    </message>
    <message>
        <source>Pushes a plan (written by node plan --out) to the nodes it changes, with the whole running cluster validated first, and follows the node into the cluster: files written, joined, seen by every member, in HAProxy, UP.</source>
        <translation>Envoie un plan (écrit par node plan --out) aux nœuds qu&apos;il modifie, après validation de tout le cluster en service, et suit l&apos;arrivée du nœud dans le cluster&#xa0;: fichiers écrits, cluster rejoint, vu par chaque membre, présent dans HAProxy, UP.</translation>
    </message>
    <message>
        <source>The action: apply.</source>
        <translation>L&apos;action&#xa0;: apply.</translation>
    </message>
    <message>
        <source>The plan: a folder, or its .tar.gz.</source>
        <translation>Le plan&#xa0;: un dossier, ou son .tar.gz.</translation>
    </message>
    <message>
        <source>The new node&apos;s provisioning agent (tribune-agent --provision --listen HOST:PORT).</source>
        <translation>L&apos;agent de provisionnement du nouveau nœud (tribune-agent --provision --listen HOST:PORT).</translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket (default: the one the load balancer&apos;s agent names).</source>
        <translation>Le socket d&apos;administration de HAProxy (par défaut&#xa0;: celui qu&apos;indique l&apos;agent du répartiteur de charge).</translation>
    </message>
    <message>
        <source>Wait until HAProxy has sent the node a request.</source>
        <translation>Attendre que HAProxy ait envoyé une requête au nœud.</translation>
    </message>
    <message>
        <source>Give up after this long (default: 60).</source>
        <translation>Abandonner au bout de ce délai (par défaut&#xa0;: 60).</translation>
    </message>
    <message>
        <source>node apply: use --seed S --key-file K --plan DIR [--to HOST:PORT] [--lb-socket PATH] [--wait-request] [--timeout SECONDS]; see --help</source>
        <translation>node apply&#xa0;: utilisez --seed S --key-file K --plan DIR [--to HOST:PORT] [--lb-socket PATH] [--wait-request] [--timeout SECONDS]&#xa0;; voir --help</translation>
    </message>
    <message>
        <source>node apply: %1</source>
        <translation>node apply&#xa0;: %1</translation>
    </message>
    <message>
        <source>node apply: --to: %1</source>
        <translation>node apply&#xa0;: --to&#xa0;: %1</translation>
    </message>
    <message>
        <source>What the plan brings:</source>
        <translation>Ce qu&apos;entraîne le plan&#xa0;:</translation>
    </message>
    <message>
        <source>node apply: nothing was pushed: the plan would bring errors to the cluster</source>
        <translation>node apply&#xa0;: rien n&apos;a été envoyé&#xa0;: le plan introduirait des erreurs dans le cluster</translation>
    </message>
    <message>
        <source>Plans a new node like an existing one: free ports on its server, its own local registry, the diff and the whole cluster&apos;s findings.</source>
        <translation>Planifie un nouveau nœud sur le modèle d&apos;un nœud existant&#xa0;: ports libres sur son serveur, son propre registre local, le diff et les constats de tout le cluster.</translation>
    </message>
    <message>
        <source>The action: plan.</source>
        <translation>L&apos;action&#xa0;: plan.</translation>
    </message>
    <message>
        <source>The cluster&apos;s folder (or node folders), unless --seed.</source>
        <translation>Le dossier du cluster (ou des dossiers de nœuds), sauf avec --seed.</translation>
    </message>
    <message>
        <source>The node to take as a template.</source>
        <translation>Le nœud à prendre comme modèle.</translation>
    </message>
    <message>
        <source>The new node&apos;s host: an address or a name.</source>
        <translation>L&apos;hôte du nouveau nœud&#xa0;: une adresse ou un nom.</translation>
    </message>
    <message>
        <source>The new node&apos;s folder name (default: NODE-2, ...).</source>
        <translation>Le nom du dossier du nouveau nœud (par défaut&#xa0;: NODE-2, ...).</translation>
    </message>
    <message>
        <source>Its sub-domain (default: the template&apos;s).</source>
        <translation>Son sous-domaine (par défaut&#xa0;: celui du modèle).</translation>
    </message>
    <message>
        <source>Write DIR/plan.json and DIR/NAME/repository/conf/ (or the same as an archive, when DIR ends in .tar.gz).</source>
        <translation>Écrire DIR/plan.json et DIR/NAME/repository/conf/ (ou la même chose sous forme d&apos;archive, si DIR se termine par .tar.gz).</translation>
    </message>
    <message>
        <source>Print the plan as one JSON document.</source>
        <translation>Afficher le plan sous forme d&apos;un seul document JSON.</translation>
    </message>
    <message>
        <source>Override a planned value: FILE:KEY=VALUE (see docs/TYPED-EDITS.md); repeatable.</source>
        <translation>Remplacer une valeur planifiée&#xa0;: FILE:KEY=VALUE (voir docs/TYPED-EDITS.md)&#xa0;; répétable.</translation>
    </message>
    <message>
        <source>node: use plan [PATH...|--seed S --key-file K] --like NODE --host HOST; see --help</source>
        <translation>node&#xa0;: utilisez plan [PATH...|--seed S --key-file K] --like NODE --host HOST&#xa0;; voir --help</translation>
    </message>
    <message>
        <source>node plan: --set: %1</source>
        <translation>node plan&#xa0;: --set&#xa0;: %1</translation>
    </message>
    <message>
        <source>node plan: %1</source>
        <translation>node plan&#xa0;: %1</translation>
    </message>
    <message>
        <source>New node %1 like %2 on server %3:</source>
        <translation>Nouveau nœud %1 sur le modèle de %2, sur le serveur %3&#xa0;:</translation>
    </message>
    <message>
        <source>  localMemberHost %1, membership port %2, port offset %3, sub-domain %4</source>
        <translation>  localMemberHost %1, port d&apos;appartenance %2, décalage de ports %3, sous-domaine %4</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(par défaut)</translation>
    </message>
    <message>
        <source>  local registry on a database of its own: %1</source>
        <translation>  registre local sur sa propre base de données&#xa0;: %1</translation>
    </message>
    <message>
        <source>The plan brings no finding.</source>
        <translation>Le plan n&apos;entraîne aucun constat.</translation>
    </message>
    <message>
        <source>install: writes the drop-in that runs a node&apos;s agent under systemd, as tribune-agent@INSTANCE.service, as the user that owns CARBON_HOME.</source>
        <translation>install&#xa0;: écrit le fichier drop-in qui exécute l&apos;agent d&apos;un nœud sous systemd, en tant que tribune-agent@INSTANCE.service, sous l&apos;utilisateur propriétaire de CARBON_HOME.</translation>
    </message>
    <message>
        <source>install</source>
        <translation>install</translation>
    </message>
    <message>
        <source>The node&apos;s folder.</source>
        <translation>Le dossier du nœud.</translation>
    </message>
    <message>
        <source>The cluster key file the agent reads (default: /etc/tribune/cluster.keys).</source>
        <translation>Le fichier de clé du cluster que lit l&apos;agent (par défaut&#xa0;: /etc/tribune/cluster.keys).</translation>
    </message>
    <message>
        <source>The node is the load balancer: the agent drives HAProxy, which may bind ports 80 and 443 and outlives a restart of the agent.</source>
        <translation>Le nœud est le répartiteur de charge&#xa0;: l&apos;agent pilote HAProxy, qui peut écouter sur les ports 80 et 443 et survit à un redémarrage de l&apos;agent.</translation>
    </message>
    <message>
        <source>Write into the system installed under DIR, not /.</source>
        <translation>Écrire dans le système installé sous DIR, et non dans /.</translation>
    </message>
    <message>
        <source>tribunectl service: usage: tribunectl service install CARBON_HOME [--key-file FILE] [--lb] [--root DIR]</source>
        <translation>tribunectl service&#xa0;: utilisation&#xa0;: tribunectl service install CARBON_HOME [--key-file FILE] [--lb] [--root DIR]</translation>
    </message>
    <message>
        <source>tribunectl service: %1 is not an absolute path; the unit names the node&apos;s folder as the system sees it.</source>
        <translation>tribunectl service&#xa0;: %1 n&apos;est pas un chemin absolu&#xa0;; l&apos;unité désigne le dossier du nœud tel que le système le voit.</translation>
    </message>
    <message>
        <source>tribunectl service: %1 is not a folder; give the node&apos;s CARBON_HOME.</source>
        <translation>tribunectl service&#xa0;: %1 n&apos;est pas un dossier&#xa0;; indiquez le CARBON_HOME du nœud.</translation>
    </message>
    <message>
        <source>tribunectl service: %1 has no repository/conf; give the node&apos;s CARBON_HOME.</source>
        <translation>tribunectl service&#xa0;: %1 n&apos;a pas de repository/conf&#xa0;; indiquez le CARBON_HOME du nœud.</translation>
    </message>
    <message>
        <source>tribunectl service: %1 belongs to root; the agent runs as the node&apos;s own user. Give the node&apos;s folder to that user (chown -R USER: %1) and try again.</source>
        <translation>tribunectl service&#xa0;: %1 appartient à root&#xa0;; l&apos;agent s&apos;exécute sous l&apos;utilisateur propre au nœud. Attribuez le dossier du nœud à cet utilisateur (chown -R USER: %1) et réessayez.</translation>
    </message>
    <message>
        <source>tribunectl service: cannot create %1; run as root.</source>
        <translation>tribunectl service&#xa0;: impossible de créer %1&#xa0;; exécutez la commande en tant que root.</translation>
    </message>
    <message>
        <source>tribunectl service: cannot write %1: %2</source>
        <translation>tribunectl service&#xa0;: impossible d&apos;écrire %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Wrote %1: the agent of %2 runs as %3.</source>
        <translation>%1 écrit&#xa0;: l&apos;agent de %2 s&apos;exécute sous l&apos;utilisateur %3.</translation>
    </message>
    <message>
        <source>The key file %1 does not exist yet: copy the cluster&apos;s key file there, readable by %2 only.</source>
        <translation>Le fichier de clé %1 n&apos;existe pas encore&#xa0;: copiez-y le fichier de clé du cluster, lisible par %2 uniquement.</translation>
    </message>
    <message>
        <source>Start it with: systemctl daemon-reload &amp;&amp; systemctl enable --now &apos;%1&apos;</source>
        <translation>Démarrez-le avec&#xa0;: systemctl daemon-reload &amp;&amp; systemctl enable --now &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Writes a snapshot of the running cluster to one file: members, health, HAProxy&apos;s view, every node&apos;s files (passwords redacted), the findings, and the events and samples of a window from the history.</source>
        <translation>Écrit un instantané du cluster en service dans un seul fichier&#xa0;: membres, état de santé, vue de HAProxy, fichiers de chaque nœud (mots de passe masqués), constats, ainsi que les événements et échantillons d&apos;une fenêtre de l&apos;historique.</translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket (PATH or HOST:PORT).</source>
        <translation>Le socket d&apos;administration de HAProxy (PATH ou HOST:PORT).</translation>
    </message>
    <message>
        <source>The history to take events and samples from (default: the console&apos;s own; none: leave them out).</source>
        <translation>L&apos;historique d&apos;où prendre les événements et échantillons (par défaut&#xa0;: celui de la console&#xa0;; none&#xa0;: les omettre).</translation>
    </message>
    <message>
        <source>Events and one-second samples over the first span, one-minute samples over the second (default 10m,24h).</source>
        <translation>Événements et échantillons à la seconde sur la première durée, échantillons à la minute sur la seconde (par défaut 10m,24h).</translation>
    </message>
    <message>
        <source>Keep the files&apos; passwords (the snapshot then says so wherever it is shown).</source>
        <translation>Conserver les mots de passe des fichiers (l&apos;instantané le signale alors partout où il est affiché).</translation>
    </message>
    <message>
        <source>The snapshot file to write.</source>
        <translation>Le fichier d&apos;instantané à écrire.</translation>
    </message>
    <message>
        <source>Who takes it (default: the user&apos;s name).</source>
        <translation>Qui le prend (par défaut&#xa0;: le nom de l&apos;utilisateur).</translation>
    </message>
    <message>
        <source>snapshot export: use --seed HOST:PORT --key-file K -o FILE; see --help</source>
        <translation>snapshot export&#xa0;: utilisez --seed HOST:PORT --key-file K -o FILE&#xa0;; voir --help</translation>
    </message>
    <message>
        <source>snapshot export: --window %1: use SPAN or SPAN,SPAN with s, m, h or d (e.g. 10m,24h)</source>
        <translation>snapshot export&#xa0;: --window %1&#xa0;: utilisez SPAN ou SPAN,SPAN avec s, m, h ou d (p. ex. 10m,24h)</translation>
    </message>
    <message>
        <source>snapshot export: %1; nothing was written</source>
        <translation>snapshot export&#xa0;: %1&#xa0;; rien n&apos;a été écrit</translation>
    </message>
    <message>
        <source>snapshot export: %1</source>
        <translation>snapshot export&#xa0;: %1</translation>
    </message>
    <message>
        <source>not in the snapshot: %1</source>
        <translation>absent de l&apos;instantané&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1: %2 members, %3 nodes&apos; files, %4 findings, %5 events, %6 samples%7</source>
        <translation>%1&#xa0;: %2 membres, fichiers de %3 nœuds, %4 constats, %5 événements, %6 échantillons%7</translation>
    </message>
    <message>
        <source>; passwords included</source>
        <translation>&#xa0;; mots de passe inclus</translation>
    </message>
    <message>
        <source>Prints what a snapshot holds: when and who, the members, findings and events.</source>
        <translation>Affiche le contenu d&apos;un instantané&#xa0;: quand et par qui, les membres, les constats et les événements.</translation>
    </message>
    <message>
        <source>A .tribune-snapshot file.</source>
        <translation>Un fichier .tribune-snapshot.</translation>
    </message>
    <message>
        <source>As one JSON document (docs/SNAPSHOT.md).</source>
        <translation>Sous forme d&apos;un seul document JSON (docs/SNAPSHOT.md).</translation>
    </message>
    <message>
        <source>snapshot show: name one FILE</source>
        <translation>snapshot show&#xa0;: indiquez un seul FILE</translation>
    </message>
    <message>
        <source>snapshot show: %1</source>
        <translation>snapshot show&#xa0;: %1</translation>
    </message>
    <message>
        <source>THIS SNAPSHOT HOLDS PASSWORDS: share it as you would share them.</source>
        <translation>CET INSTANTANÉ CONTIENT DES MOTS DE PASSE&#xa0;: partagez-le comme vous les partageriez.</translation>
    </message>
    <message>
        <source>Snapshot of %1, taken %2 by %3 (events from %4)</source>
        <translation>Instantané de %1, pris le %2 par %3 (événements depuis le %4)</translation>
    </message>
    <message>
        <source>someone</source>
        <translation>quelqu&apos;un</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Membres</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>Findings: %1</source>
        <translation>Constats&#xa0;: %1</translation>
    </message>
    <message>
        <source>Events: %1, samples: %2</source>
        <translation>Événements&#xa0;: %1, échantillons&#xa0;: %2</translation>
    </message>
    <message>
        <source>Not in the snapshot: %1</source>
        <translation>Absent de l&apos;instantané&#xa0;: %1</translation>
    </message>
    <message>
        <source>Shows what changed between two snapshots: members added, removed or changed, each domain&apos;s traffic side by side, each node&apos;s files, findings new and resolved. Exit 1 when members, files or findings differ.</source>
        <translation>Montre ce qui a changé entre deux instantanés&#xa0;: membres ajoutés, retirés ou modifiés, trafic de chaque domaine côte à côte, fichiers de chaque nœud, constats nouveaux et résolus. Code de sortie 1 si les membres, les fichiers ou les constats diffèrent.</translation>
    </message>
    <message>
        <source>The earlier snapshot.</source>
        <translation>L&apos;instantané le plus ancien.</translation>
    </message>
    <message>
        <source>The later snapshot.</source>
        <translation>L&apos;instantané le plus récent.</translation>
    </message>
    <message>
        <source>snapshot diff: name two snapshot files, the earlier first</source>
        <translation>snapshot diff&#xa0;: indiquez deux fichiers d&apos;instantané, le plus ancien en premier</translation>
    </message>
    <message>
        <source>snapshot diff: %1</source>
        <translation>snapshot diff&#xa0;: %1</translation>
    </message>
    <message>
        <source>Writes a snapshot&apos;s members, events and samples as CSV files (members.csv, events.csv, samples.csv) into a folder.</source>
        <translation>Écrit les membres, événements et échantillons d&apos;un instantané sous forme de fichiers CSV (members.csv, events.csv, samples.csv) dans un dossier.</translation>
    </message>
    <message>
        <source>The folder to write the CSV files into.</source>
        <translation>Le dossier où écrire les fichiers CSV.</translation>
    </message>
    <message>
        <source>snapshot report: use --csv DIR FILE</source>
        <translation>snapshot report&#xa0;: utilisez --csv DIR FILE</translation>
    </message>
    <message>
        <source>snapshot report: %1</source>
        <translation>snapshot report&#xa0;: %1</translation>
    </message>
    <message>
        <source>wrote %1 (%2 members, %3 events, %4 samples)</source>
        <translation>%1 écrit (%2 membres, %3 événements, %4 échantillons)</translation>
    </message>
    <message>
        <source>snapshot: use export --seed S --key-file K -o FILE, show FILE [--json], diff A B, or report --csv DIR FILE</source>
        <translation>snapshot&#xa0;: utilisez export --seed S --key-file K -o FILE, show FILE [--json], diff A B, ou report --csv DIR FILE</translation>
    </message>
    <message>
        <source>Sends a steady stream of requests through the load balancer.</source>
        <translation>Envoie un flux régulier de requêtes à travers le répartiteur de charge.</translation>
    </message>
    <message>
        <source>The load balancer&apos;s HTTP listener.</source>
        <translation>L&apos;écouteur HTTP du répartiteur de charge.</translation>
    </message>
    <message>
        <source>A Host header to send (repeatable).</source>
        <translation>Un en-tête Host à envoyer (répétable).</translation>
    </message>
    <message>
        <source>Requests per second per host (default 3).</source>
        <translation>Requêtes par seconde et par hôte (3 par défaut).</translation>
    </message>
    <message>
        <source>A tenant domain to use for some requests (repeatable).</source>
        <translation>Un domaine de tenant à utiliser pour une partie des requêtes (répétable).</translation>
    </message>
    <message>
        <source>Stop after S seconds (default: until interrupted).</source>
        <translation>S&apos;arrêter après S secondes (par défaut&#xa0;: jusqu&apos;à interruption).</translation>
    </message>
    <message>
        <source>traffic: give --target HOST:PORT, at least one --host, and a --rate between 0 and 1000</source>
        <translation>traffic&#xa0;: indiquez --target HOST:PORT, au moins un --host et un --rate entre 0 et 1000</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 en échec</translation>
    </message>
    <message>
        <source>traffic: %1 requests sent (%2)</source>
        <translation>traffic&#xa0;: %1 requêtes envoyées (%2)</translation>
    </message>
    <message>
        <source>Checks a cluster&apos;s configuration files against each other.</source>
        <translation>Vérifie la cohérence des fichiers de configuration d&apos;un cluster entre eux.</translation>
    </message>
    <message>
        <source>A node&apos;s folder (CARBON_HOME or its repository/conf), a loadbalancer.conf, or a folder holding a whole cluster.</source>
        <translation>Le dossier d&apos;un nœud (CARBON_HOME ou son repository/conf), un loadbalancer.conf, ou un dossier contenant un cluster entier.</translation>
    </message>
    <message>
        <source>tribunectl service: %1 is not an absolute path; the agent starts in /, so give the key file&apos;s full path.</source>
        <translation>tribunectl service : %1 n&apos;est pas un chemin absolu ; l&apos;agent démarre dans /, indiquez donc le chemin complet du fichier de clé.</translation>
    </message>
    <message>
        <source>tribunectl service: a path with a line break or another control character cannot stand in a unit file; rename the folder.</source>
        <translation>tribunectl service : un chemin contenant un saut de ligne ou un autre caractère de contrôle ne peut pas figurer dans un fichier d&apos;unité ; renommez le dossier.</translation>
    </message>
    <message>
        <source>tribunectl service: the agent runs as %1 and reads %2 only if %1 owns it and nobody else may read it. Run: chown %1: %2 &amp;&amp; chmod 600 %2</source>
        <translation>tribunectl service : l&apos;agent s&apos;exécute en tant que %1 et ne lit %2 que si %1 en est propriétaire et que personne d&apos;autre ne peut le lire. Exécutez : chown %1: %2 &amp;&amp; chmod 600 %2</translation>
    </message>
</context>
<context>
    <name>Tribune::ClusterConfig</name>
    <message>
        <source>no such file or folder</source>
        <translation>fichier ou dossier inexistant</translation>
    </message>
    <message>
        <source>holds no node (a folder with repository/conf/axis2/axis2.xml or carbon.xml) and no loadbalancer.conf</source>
        <translation>ne contient aucun nœud (un dossier avec repository/conf/axis2/axis2.xml ou carbon.xml) ni aucun loadbalancer.conf</translation>
    </message>
    <message>
        <source>folder %1 is no node of this cluster; name the folders that hold the nodes</source>
        <translation>le dossier %1 n&apos;est pas un nœud de ce cluster&#xa0;; indiquez les dossiers qui contiennent les nœuds</translation>
    </message>
    <message>
        <source>not a node: neither it nor its repository/conf holds axis2/axis2.xml or carbon.xml</source>
        <translation>pas un nœud&#xa0;: ni ce dossier ni son repository/conf ne contient axis2/axis2.xml ou carbon.xml</translation>
    </message>
</context>
<context>
    <name>Tribune::ClusterConnection</name>
    <message>
        <source>the load balancer %1</source>
        <translation>le répartiteur de charge %1</translation>
    </message>
    <message>
        <source>the membership port %1</source>
        <translation>le port d&apos;appartenance %1</translation>
    </message>
    <message>
        <source>no answer from %1 within %2 s</source>
        <translation>%1&#xa0;: aucune réponse en %2 s</translation>
    </message>
    <message>
        <source>the membership port %1: %2</source>
        <translation>le port d&apos;appartenance %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>the membership port %1 refused the console: %2</source>
        <translation>le port d&apos;appartenance %1 a refusé la console&#xa0;: %2</translation>
    </message>
    <message>
        <source>the load balancer %1: %2</source>
        <translation>le répartiteur de charge %1&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::ClusterTreeModel</name>
    <message>
        <source>Load balancer</source>
        <translation>Répartiteur de charge</translation>
    </message>
    <message>
        <source>(no domain)</source>
        <translation>(aucun domaine)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message>
        <source>Membership</source>
        <translation>Appartenance</translation>
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
        <translation>Décalage</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Constats</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
</context>
<context>
    <name>Tribune::ClusterWorkspace</name>
    <message>
        <source>Correct the file and reload; until then the cluster shown is the one read before.</source>
        <translation>Corrigez le fichier et rechargez&#xa0;; d&apos;ici là, le cluster affiché est celui qui a été lu précédemment.</translation>
    </message>
    <message>
        <source>cannot create a temporary folder for the cluster&apos;s files: %1; free space there (or set TMPDIR) and try again</source>
        <translation>impossible de créer un dossier temporaire pour les fichiers du cluster&#xa0;: %1&#xa0;; libérez de l&apos;espace (ou définissez TMPDIR) et réessayez</translation>
    </message>
    <message>
        <source>running cluster (%1)</source>
        <translation>cluster en service (%1)</translation>
    </message>
</context>
<context>
    <name>Tribune::Config</name>
    <message>
        <source>group_mgt_port &apos;%1&apos; is not a port number; use a whole number from 1 to 65535</source>
        <translation>group_mgt_port «&#xa0;%1&#xa0;» n&apos;est pas un numéro de port&#xa0;; utilisez un nombre entier de 1 à 65535</translation>
    </message>
    <message>
        <source>the setting &apos;%1&apos; is not ended by &apos;;&apos;; add &apos;;&apos; after its value</source>
        <translation>le paramètre «&#xa0;%1&#xa0;» ne se termine pas par «&#xa0;;&#xa0;»&#xa0;; ajoutez «&#xa0;;&#xa0;» après sa valeur</translation>
    </message>
    <message>
        <source>unexpected &apos;;&apos; with no setting before it; remove it</source>
        <translation>«&#xa0;;&#xa0;» inattendu, sans paramètre avant lui&#xa0;; supprimez-le</translation>
    </message>
    <message>
        <source>a block needs a name before &apos;{&apos;; write it as &apos;name { ... }&apos;</source>
        <translation>un bloc doit avoir un nom avant «&#xa0;{&#xa0;»&#xa0;; écrivez-le sous la forme «&#xa0;name { ... }&#xa0;»</translation>
    </message>
    <message>
        <source>blocks are nested more than %1 deep; close the blocks left open</source>
        <translation>les blocs sont imbriqués sur plus de %1 niveaux&#xa0;; fermez les blocs restés ouverts</translation>
    </message>
    <message>
        <source>unexpected &apos;}&apos; with no block open; remove it or add the missing &apos;name {&apos;</source>
        <translation>«&#xa0;}&#xa0;» inattendu alors qu&apos;aucun bloc n&apos;est ouvert&#xa0;; supprimez-le ou ajoutez le «&#xa0;name {&#xa0;» manquant</translation>
    </message>
    <message>
        <source>the block &apos;%1&apos; opened here is never closed: the &apos;#&apos; comment on line %2 runs to the end of that line and hides its &apos;}&apos;; put the comment on its own line</source>
        <translation>le bloc «&#xa0;%1&#xa0;» ouvert ici n&apos;est jamais fermé&#xa0;: le commentaire «&#xa0;#&#xa0;» de la ligne %2 s&apos;étend jusqu&apos;à la fin de cette ligne et masque son «&#xa0;}&#xa0;»&#xa0;; placez le commentaire sur une ligne à part</translation>
    </message>
    <message>
        <source>the block &apos;%1&apos; opened here is never closed; add &apos;}&apos; at its end</source>
        <translation>le bloc «&#xa0;%1&#xa0;» ouvert ici n&apos;est jamais fermé&#xa0;; ajoutez «&#xa0;}&#xa0;» à sa fin</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(par défaut)</translation>
    </message>
    <message>
        <source>service &apos;%1&apos; has no domain &apos;%2&apos; with sub-domain &apos;%3&apos;; check the names against the file</source>
        <translation>le service «&#xa0;%1&#xa0;» n&apos;a pas de domaine «&#xa0;%2&#xa0;» avec le sous-domaine «&#xa0;%3&#xa0;»&#xa0;; vérifiez les noms dans le fichier</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid name; use one word without spaces, commas, &apos;;&apos;, &apos;{&apos;, &apos;}&apos; or &apos;#&apos;</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas un nom valide&#xa0;; utilisez un seul mot, sans espace, virgule, «&#xa0;;&#xa0;», «&#xa0;{&#xa0;», «&#xa0;}&#xa0;» ni «&#xa0;#&#xa0;»</translation>
    </message>
    <message>
        <source>the value &apos;%1&apos; contains a line break, &apos;;&apos;, &apos;{&apos;, &apos;}&apos; or &apos;#&apos;, which would change the file&apos;s structure; remove them</source>
        <translation>la valeur «&#xa0;%1&#xa0;» contient un saut de ligne, «&#xa0;;&#xa0;», «&#xa0;{&#xa0;», «&#xa0;}&#xa0;» ou «&#xa0;#&#xa0;», ce qui modifierait la structure du fichier&#xa0;; supprimez-les</translation>
    </message>
    <message>
        <source>tenant_range &apos;%1&apos; is not valid; use &apos;*&apos; for all tenants, a tenant id such as 7, or a range such as 10-20 whose first id is not above its last</source>
        <translation>tenant_range «&#xa0;%1&#xa0;» n&apos;est pas valide&#xa0;; utilisez «&#xa0;*&#xa0;» pour tous les tenants, un identifiant de tenant tel que 7, ou une plage telle que 10-20 dont le premier identifiant n&apos;est pas supérieur au dernier</translation>
    </message>
    <message>
        <source>cannot read %1: %2; check that the file exists and that you may read it</source>
        <translation>impossible de lire %1&#xa0;: %2&#xa0;; vérifiez que le fichier existe et que vous avez le droit de le lire</translation>
    </message>
    <message>
        <source>cannot write %1: %2; check that the folder exists and that you may write to it</source>
        <translation>impossible d&apos;écrire %1&#xa0;: %2&#xa0;; vérifiez que le dossier existe et que vous avez le droit d&apos;y écrire</translation>
    </message>
    <message>
        <source>the sub-domain &apos;%1&apos; is the name of a nested block; rename that block instead</source>
        <translation>le sous-domaine «&#xa0;%1&#xa0;» est le nom d&apos;un bloc imbriqué&#xa0;; renommez plutôt ce bloc</translation>
    </message>
    <message>
        <source>there is no service &apos;%1&apos; in the file; add the service first or check its name</source>
        <translation>le fichier ne contient aucun service «&#xa0;%1&#xa0;»&#xa0;; ajoutez d&apos;abord le service ou vérifiez son nom</translation>
    </message>
    <message>
        <source>service &apos;%1&apos; already serves domain &apos;%2&apos; with sub-domain &apos;%3&apos;; edit that domain instead</source>
        <translation>le service «&#xa0;%1&#xa0;» sert déjà le domaine «&#xa0;%2&#xa0;» avec le sous-domaine «&#xa0;%3&#xa0;»&#xa0;; modifiez plutôt ce domaine</translation>
    </message>
    <message>
        <source>service &apos;%1&apos; sets a sub_domain for all its domains, so &apos;%2&apos; cannot have the default sub-domain; give it one</source>
        <translation>le service «&#xa0;%1&#xa0;» définit un sub_domain pour tous ses domaines, «&#xa0;%2&#xa0;» ne peut donc pas avoir le sous-domaine par défaut&#xa0;; attribuez-lui-en un</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a block, not a setting with a value; edit the settings inside it</source>
        <translation>«&#xa0;%1&#xa0;» est un bloc, pas un paramètre avec une valeur&#xa0;; modifiez les paramètres qu&apos;il contient</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a setting, not a block; add to the block that holds it</source>
        <translation>«&#xa0;%1&#xa0;» est un paramètre, pas un bloc&#xa0;; ajoutez plutôt au bloc qui le contient</translation>
    </message>
    <message>
        <source>the whole file cannot be removed; remove its blocks instead</source>
        <translation>le fichier entier ne peut pas être supprimé&#xa0;; supprimez plutôt ses blocs</translation>
    </message>
    <message>
        <source>the setting to edit is no longer part of the file; look it up again after each edit</source>
        <translation>le paramètre à modifier ne fait plus partie du fichier&#xa0;; recherchez-le de nouveau après chaque modification</translation>
    </message>
    <message>
        <source>the file is not valid %1; save it in that encoding or fix its declaration</source>
        <translation>le fichier n&apos;est pas du %1 valide&#xa0;; enregistrez-le dans cet encodage ou corrigez sa déclaration</translation>
    </message>
    <message>
        <source>expected &lt;%1&gt; as the document element, found &lt;%2&gt;; is this the right file?</source>
        <translation>élément racine &lt;%1&gt; attendu, &lt;%2&gt; trouvé&#xa0;; est-ce le bon fichier&#xa0;?</translation>
    </message>
    <message>
        <source>cannot read the file: %1</source>
        <translation>impossible de lire le fichier&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 is not in the file</source>
        <translation>%1 ne figure pas dans le fichier</translation>
    </message>
    <message>
        <source>the file is %1 MB, more than the %2 MB a configuration file may be; it is not one</source>
        <translation>le fichier fait %1 MB, plus que les %2 MB autorisés pour un fichier de configuration&#xa0;; ce n&apos;en est pas un</translation>
    </message>
    <message>
        <source>unsupported encoding &quot;%1&quot; in the XML declaration; use UTF-8 or ISO-8859-1</source>
        <translation>encodage «&#xa0;%1&#xa0;» non pris en charge dans la déclaration XML&#xa0;; utilisez UTF-8 ou ISO-8859-1</translation>
    </message>
    <message>
        <source> (a bare &apos;&amp;&apos; at &quot;%1&quot;: write it as &amp;amp;)</source>
        <translation> («&#xa0;&amp;&#xa0;» isolé à «&#xa0;%1&#xa0;»&#xa0;: écrivez-le &amp;amp;)</translation>
    </message>
    <message>
        <source>an element with %1 attributes, more than the %2 a configuration file may have</source>
        <translation>un élément avec %1 attributs, plus que les %2 autorisés dans un fichier de configuration</translation>
    </message>
    <message>
        <source>elements nested more than %1 deep; a configuration file nests a dozen</source>
        <translation>éléments imbriqués sur plus de %1 niveaux&#xa0;; un fichier de configuration en imbrique une douzaine</translation>
    </message>
    <message>
        <source>malformed XML: %1</source>
        <translation>XML mal formé&#xa0;: %1</translation>
    </message>
    <message>
        <source>the file holds no XML element</source>
        <translation>le fichier ne contient aucun élément XML</translation>
    </message>
    <message>
        <source>cannot write the file: %1</source>
        <translation>impossible d&apos;écrire le fichier&#xa0;: %1</translation>
    </message>
    <message>
        <source>the edit would leave the file malformed (%1)</source>
        <translation>la modification rendrait le fichier mal formé (%1)</translation>
    </message>
    <message>
        <source>&lt;%1&gt; holds other elements; its text cannot be replaced</source>
        <translation>&lt;%1&gt; contient d&apos;autres éléments&#xa0;; son texte ne peut pas être remplacé</translation>
    </message>
    <message>
        <source>the fragment holds no element</source>
        <translation>le fragment ne contient aucun élément</translation>
    </message>
</context>
<context>
    <name>Tribune::ConfigView</name>
    <message>
        <source>Filter nodes, domains, hosts…</source>
        <translation>Filtrer nœuds, domaines, hôtes…</translation>
    </message>
    <message>
        <source>&amp;Configure…</source>
        <translation>&amp;Configurer…</translation>
    </message>
    <message>
        <source>Open a cluster folder to check its configuration.</source>
        <translation>Ouvrez le dossier d&apos;un cluster pour vérifier sa configuration.</translation>
    </message>
    <message>
        <source>%1 nodes · %2 · %3</source>
        <translation>%1 nœuds · %2 · %3</translation>
    </message>
</context>
<context>
    <name>Tribune::ConnectDialog</name>
    <message>
        <source>&amp;Forget</source>
        <translation>&amp;Oublier</translation>
    </message>
    <message>
        <source>default: the first well-known member</source>
        <translation>par défaut&#xa0;: le premier membre connu</translation>
    </message>
    <message>
        <source>/path/to/admin.sock or 127.0.0.1:9999 (optional)</source>
        <translation>/chemin/vers/admin.sock ou 127.0.0.1:9999 (facultatif)</translation>
    </message>
    <message>
        <source>mode 0600, as the agents have it</source>
        <translation>mode 0600, comme pour les agents</translation>
    </message>
    <message>
        <source>only for TLS</source>
        <translation>uniquement pour TLS</translation>
    </message>
    <message>
        <source>default: SQLite in the data folder</source>
        <translation>par défaut&#xa0;: SQLite dans le dossier de données</translation>
    </message>
    <message>
        <source>default: %1</source>
        <translation>par défaut&#xa0;: %1</translation>
    </message>
    <message>
        <source>Connect to a Cluster</source>
        <translation>Se connecter à un cluster</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>Nouvelle connexion</translation>
    </message>
    <message>
        <source>Where to keep history: empty for a SQLite file in the data folder, sqlite:///path/history.sqlite, mysql://user:password@host:port/database, postgresql://user:password@host:port/database for a history the team shares, or none to keep no history.</source>
        <translation>Où conserver l&apos;historique&#xa0;: vide pour un fichier SQLite dans le dossier de données, sqlite:///path/history.sqlite, mysql://user:password@host:port/database, postgresql://user:password@host:port/database pour un historique partagé par l&apos;équipe, ou none pour ne conserver aucun historique.</translation>
    </message>
    <message>
        <source>Strongest key in the file</source>
        <translation>Clé la plus forte du fichier</translation>
    </message>
    <message>
        <source>Console (may change members)</source>
        <translation>Console (peut modifier les membres)</translation>
    </message>
    <message>
        <source>Viewer (read-only)</source>
        <translation>Viewer (lecture seule)</translation>
    </message>
    <message>
        <source>Remove this saved connection from the list. Its key file stays where it is.</source>
        <translation>Retirer cette connexion enregistrée de la liste. Son fichier de clé reste en place.</translation>
    </message>
    <message>
        <source>&amp;Profile:</source>
        <translation>&amp;Profil&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nom&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;Well-known members:</source>
        <translation>Membres &amp;connus&#xa0;:</translation>
    </message>
    <message>
        <source>Load balancer admin &amp;socket:</source>
        <translation>&amp;Socket d&apos;administration du répartiteur de charge&#xa0;:</translation>
    </message>
    <message>
        <source>Cluster &amp;key file:</source>
        <translation>&amp;Fichier de clé du cluster&#xa0;:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <source>Choose the Cluster Key File</source>
        <translation>Choisir le fichier de clé du cluster</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>&amp;Rôle&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;TLS certificate authority:</source>
        <translation>Autorité de certification &amp;TLS&#xa0;:</translation>
    </message>
    <message>
        <source>Choose the Certificate Authority</source>
        <translation>Choisir l&apos;autorité de certification</translation>
    </message>
    <message>
        <source>&amp;History:</source>
        <translation>&amp;Historique&#xa0;:</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>Se connecter</translation>
    </message>
</context>
<context>
    <name>Tribune::ConnectionProfiles</name>
    <message>
        <source>Choose the cluster key file: the file the agents use, made with &quot;tribunectl keygen&quot;.</source>
        <translation>Choisissez le fichier de clé du cluster&#xa0;: celui qu&apos;utilisent les agents, créé avec «&#xa0;tribunectl keygen&#xa0;».</translation>
    </message>
    <message>
        <source>The key file %1 does not exist: choose the file the agents use, made with &quot;tribunectl keygen&quot;.</source>
        <translation>Le fichier de clé %1 n&apos;existe pas&#xa0;: choisissez celui qu&apos;utilisent les agents, créé avec «&#xa0;tribunectl keygen&#xa0;».</translation>
    </message>
    <message>
        <source>%1 is not a file: choose the cluster key file.</source>
        <translation>%1 n&apos;est pas un fichier&#xa0;: choisissez le fichier de clé du cluster.</translation>
    </message>
    <message>
        <source>The key file %1 holds no %2 key: choose another role, or the strongest key in the file.</source>
        <translation>Le fichier de clé %1 ne contient aucune clé %2&#xa0;: choisissez un autre rôle, ou la clé la plus forte du fichier.</translation>
    </message>
    <message>
        <source>Enter a well-known member as HOST:PORT (e.g. 127.0.0.1:4000), or several separated by commas: the console learns the cluster&apos;s members from them. Or give only the load balancer&apos;s admin socket, to watch its servers alone.</source>
        <translation>Saisissez un membre connu sous la forme HOST:PORT (p. ex. 127.0.0.1:4000), ou plusieurs séparés par des virgules&#xa0;: la console apprend d&apos;eux les membres du cluster. Ou indiquez seulement le socket d&apos;administration du répartiteur de charge, pour ne surveiller que ses serveurs.</translation>
    </message>
    <message>
        <source>The certificate authority file %1 does not exist: choose the PEM file that signed the agents&apos; certificates, or leave the field empty to connect without TLS.</source>
        <translation>Le fichier d&apos;autorité de certification %1 n&apos;existe pas&#xa0;: choisissez le fichier PEM qui a signé les certificats des agents, ou laissez le champ vide pour vous connecter sans TLS.</translation>
    </message>
</context>
<context>
    <name>Tribune::ConsolePreferences</name>
    <message>
        <source>1 minute</source>
        <translation>1 minute</translation>
    </message>
    <message>
        <source>5 minutes</source>
        <translation>5 minutes</translation>
    </message>
    <message>
        <source>10 minutes</source>
        <translation>10 minutes</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 heure</translation>
    </message>
    <message>
        <source>6 hours</source>
        <translation>6 heures</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 heures</translation>
    </message>
    <message>
        <source>%1 seconds</source>
        <translation>%1 secondes</translation>
    </message>
    <message>
        <source>&quot;none&quot; keeps no history: there is no database to check.</source>
        <translation>«&#xa0;none&#xa0;» ne conserve aucun historique&#xa0;: il n&apos;y a aucune base de données à vérifier.</translation>
    </message>
</context>
<context>
    <name>Tribune::CopyRows</name>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Copier</translation>
    </message>
</context>
<context>
    <name>Tribune::DatasourcesPanel</name>
    <message>
        <source>Ready</source>
        <translation>Prête</translation>
    </message>
    <message>
        <source>No tables</source>
        <translation>Aucune table</translation>
    </message>
    <message>
        <source>No database</source>
        <translation>Base absente</translation>
    </message>
    <message>
        <source>Not granted</source>
        <translation>Droits manquants</translation>
    </message>
    <message>
        <source>Wrong user or password</source>
        <translation>Utilisateur ou mot de passe incorrect</translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation>Injoignable</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>Non vérifiée</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>&amp;Test Connections</source>
        <translation>&amp;Tester les connexions</translation>
    </message>
    <message>
        <source>Cancel Test</source>
        <translation>Annuler le test</translation>
    </message>
    <message>
        <source>C&amp;reate Database…</source>
        <translation>&amp;Créer la base de données…</translation>
    </message>
    <message>
        <source>Datasource</source>
        <translation>Source de données</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <source>Create the selected datasource&apos;s database and grant its user, with a database administrator&apos;s credentials that are not kept</source>
        <translation>Créer la base de données de la source sélectionnée et accorder les droits à son utilisateur, avec les identifiants d&apos;un administrateur de bases de données, qui ne sont pas conservés</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>&amp;URL&#xa0;:</translation>
    </message>
    <message>
        <source>U&amp;ser:</source>
        <translation>Uti&amp;lisateur&#xa0;:</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>&amp;Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>Cannot create the database: %1</source>
        <translation>Impossible de créer la base de données&#xa0;: %1</translation>
    </message>
    <message>
        <source>The node has no datasources.</source>
        <translation>Le nœud n&apos;a aucune source de données.</translation>
    </message>
    <message>
        <source>Test the connections before you push: the node needs its databases at start.</source>
        <translation>Testez les connexions avant d&apos;envoyer&#xa0;: le nœud a besoin de ses bases de données au démarrage.</translation>
    </message>
    <message>
        <source>Connecting to the database servers…</source>
        <translation>Connexion aux serveurs de bases de données…</translation>
    </message>
    <message>
        <source>Test cancelled.</source>
        <translation>Test annulé.</translation>
    </message>
    <message>
        <source>%1 %2: %3</source>
        <translation>%1 %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>Changed; the node&apos;s own value is %1</source>
        <translation>Modifié&#xa0;; la valeur propre au nœud est %1</translation>
    </message>
    <message>
        <source>Every datasource is ready.</source>
        <translation>Toutes les sources de données sont prêtes.</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n datasource(s) ready.</source>
        <translation>
            <numerusform>Source de données prête&#xa0;: %1 sur %n.</numerusform>
            <numerusform>Sources de données prêtes&#xa0;: %1 sur %n.</numerusform>
        </translation>
    </message>
    <message>
        <source>Create the Database</source>
        <translation>Créer la base de données</translation>
    </message>
    <message>
        <source>C&amp;reate</source>
        <translation>&amp;Créer</translation>
    </message>
    <message>
        <source>A database administrator&apos;s account creates the database of %1 and grants %2 every privilege on it. These credentials are used once and not kept.</source>
        <translation>Le compte d&apos;un administrateur de bases de données crée la base de %1 et accorde à %2 tous les privilèges sur celle-ci. Ces identifiants ne servent qu&apos;une fois et ne sont pas conservés.</translation>
    </message>
    <message>
        <source>Administrator:</source>
        <translation>Administrateur&#xa0;:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Mot de passe&#xa0;:</translation>
    </message>
    <message>
        <source>Creating the database of %1…</source>
        <translation>Création de la base de données de %1…</translation>
    </message>
</context>
<context>
    <name>Tribune::DiffView</name>
    <message>
        <source>Before</source>
        <translation>Avant</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Après</translation>
    </message>
    <message>
        <source>&amp;Unified</source>
        <translation>&amp;Unifié</translation>
    </message>
    <message>
        <source>Side by Si&amp;de</source>
        <translation>Côte à &amp;côte</translation>
    </message>
    <message>
        <source>%1: %2 bytes before, %3 after; too large to show here</source>
        <translation>%1&#xa0;: %2 octets avant, %3 après&#xa0;; trop volumineux pour être affiché ici</translation>
    </message>
    <message>
        <source>Only line ends differ (CRLF or LF, or the newline at the end).</source>
        <translation>Seules les fins de ligne diffèrent (CRLF ou LF, ou le saut de ligne final).</translation>
    </message>
</context>
<context>
    <name>Tribune::EventLogModel</name>
    <message>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>Événement</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Membre</translation>
    </message>
    <message>
        <source>Domain / sub-domain</source>
        <translation>Domaine / sous-domaine</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Motif</translation>
    </message>
    <message>
        <source>Double-click to open this snapshot</source>
        <translation>Double-cliquez pour ouvrir cet instantané</translation>
    </message>
    <message>
        <source>join</source>
        <translation>arrivée</translation>
    </message>
    <message>
        <source>leave</source>
        <translation>départ</translation>
    </message>
    <message>
        <source>failure</source>
        <translation>défaillance</translation>
    </message>
    <message>
        <source>suspect</source>
        <translation>suspicion</translation>
    </message>
    <message>
        <source>refute</source>
        <translation>réfutation</translation>
    </message>
    <message>
        <source>rejoin</source>
        <translation>retour</translation>
    </message>
    <message>
        <source>health</source>
        <translation>santé</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>administration</translation>
    </message>
    <message>
        <source>snapshot</source>
        <translation>instantané</translation>
    </message>
</context>
<context>
    <name>Tribune::FindingsModel</name>
    <message>
        <source>Severity</source>
        <translation>Gravité</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Nœud</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <source>Suggested fix</source>
        <translation>Correction suggérée</translation>
    </message>
    <message>
        <source>load balancer</source>
        <translation>répartiteur de charge</translation>
    </message>
</context>
<context>
    <name>Tribune::FindingsPanel</name>
    <message>
        <source>All findings</source>
        <translation>Tous les constats</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>Erreurs uniquement</translation>
    </message>
    <message>
        <source>Warnings only</source>
        <translation>Avertissements uniquement</translation>
    </message>
    <message>
        <source>Search findings</source>
        <translation>Rechercher dans les constats</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Constats</translation>
    </message>
    <message>
        <source>%1: %2
%3</source>
        <translation>%1&#xa0;: %2
%3</translation>
    </message>
    <message>
        <source>&amp;Open File at Line</source>
        <translation>&amp;Ouvrir le fichier à la ligne</translation>
    </message>
    <message>
        <source>&amp;Fix…</source>
        <translation>&amp;Corriger…</translation>
    </message>
</context>
<context>
    <name>Tribune::HAProxy</name>
    <message>
        <source>render-haproxy: cannot write %1: %2</source>
        <translation>render-haproxy&#xa0;: impossible d&apos;écrire %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Renders a loadbalancer.conf as an HAProxy configuration and its hosts map.</source>
        <translation>Génère une configuration HAProxy et sa table des hôtes à partir d&apos;un loadbalancer.conf.</translation>
    </message>
    <message>
        <source>Write the configuration to FILE instead of standard output.</source>
        <translation>Écrire la configuration dans FILE au lieu de la sortie standard.</translation>
    </message>
    <message>
        <source>The Host -&gt; backend map file to write (default: hosts.map beside the output).</source>
        <translation>Le fichier de table Host -&gt; backend à écrire (par défaut&#xa0;: hosts.map à côté de la sortie).</translation>
    </message>
    <message>
        <source>Listen on ADDRESS (default: *).</source>
        <translation>Écouter sur ADDRESS (par défaut&#xa0;: *).</translation>
    </message>
    <message>
        <source>HTTP port (default: the ELB&apos;s http transport in axis2/axis2.xml beside the file, else 8280).</source>
        <translation>Port HTTP (par défaut&#xa0;: le transport http de l&apos;ELB dans le axis2/axis2.xml voisin du fichier, sinon 8280).</translation>
    </message>
    <message>
        <source>HTTPS port (default: the ELB&apos;s https transport beside the file, else 8243).</source>
        <translation>Port HTTPS (par défaut&#xa0;: le transport https de l&apos;ELB voisin du fichier, sinon 8243).</translation>
    </message>
    <message>
        <source>PEM with certificate and key for HTTPS; without it, no HTTPS listener.</source>
        <translation>PEM contenant le certificat et la clé pour HTTPS&#xa0;; sans lui, aucun écouteur HTTPS.</translation>
    </message>
    <message>
        <source>Unix admin socket (default: admin.sock beside the output).</source>
        <translation>Socket d&apos;administration Unix (par défaut&#xa0;: admin.sock à côté de la sortie).</translation>
    </message>
    <message>
        <source>Also an admin socket on a loopback ADDRESS:PORT, e.g. 127.0.0.1:9999.</source>
        <translation>Un socket d&apos;administration supplémentaire sur une ADDRESS:PORT de bouclage, p. ex. 127.0.0.1:9999.</translation>
    </message>
    <message>
        <source>Map file of &quot;&lt;tenant-domain&gt; &lt;id&gt;&quot; lines, needed for tenant ranges.</source>
        <translation>Fichier de table aux lignes «&#xa0;&lt;tenant-domain&gt; &lt;id&gt;&#xa0;», requis pour les plages de tenants.</translation>
    </message>
    <message>
        <source>The ELB&apos;s loadbalancer.conf.</source>
        <translation>Le loadbalancer.conf de l&apos;ELB.</translation>
    </message>
    <message>
        <source>render-haproxy: name one loadbalancer.conf; see --help</source>
        <translation>render-haproxy&#xa0;: indiquez un seul loadbalancer.conf&#xa0;; voir --help</translation>
    </message>
    <message>
        <source>render-haproxy: ports must be numbers</source>
        <translation>render-haproxy&#xa0;: les ports doivent être des nombres</translation>
    </message>
    <message>
        <source>render-haproxy: the hosts map and the configuration must be different files</source>
        <translation>render-haproxy&#xa0;: la table des hôtes et la configuration doivent être des fichiers distincts</translation>
    </message>
    <message>
        <source>%1 does not exist yet; HAProxy will not start without it</source>
        <translation>%1 n&apos;existe pas encore&#xa0;; HAProxy ne démarrera pas sans lui</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>avertissement&#xa0;: %1</translation>
    </message>
    <message>
        <source>domain &apos;%1&apos; with sub-domain &apos;%2&apos; cannot name an HAProxy backend: use only letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos; and &apos;:&apos;</source>
        <translation>le domaine «&#xa0;%1&#xa0;» avec le sous-domaine «&#xa0;%2&#xa0;» ne peut pas nommer un backend HAProxy&#xa0;: n&apos;utilisez que des lettres, des chiffres, «&#xa0;-&#xa0;», «&#xa0;_&#xa0;», «&#xa0;.&#xa0;» et «&#xa0;:&#xa0;»</translation>
    </message>
    <message>
        <source>backend &apos;%1&apos; is already defined by line %2: the same domain and sub-domain are served twice; merge the two blocks</source>
        <translation>le backend «&#xa0;%1&#xa0;» est déjà défini à la ligne %2&#xa0;: les mêmes domaine et sous-domaine sont servis deux fois&#xa0;; fusionnez les deux blocs</translation>
    </message>
    <message>
        <source>host &apos;%1&apos; of domain &apos;%2&apos; cannot be a key of the hosts map: use only letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;, without a port</source>
        <translation>l&apos;hôte «&#xa0;%1&#xa0;» du domaine «&#xa0;%2&#xa0;» ne peut pas être une clé de la table des hôtes&#xa0;: n&apos;utilisez que des lettres, des chiffres, «&#xa0;-&#xa0;», «&#xa0;_&#xa0;» et «&#xa0;.&#xa0;», sans port</translation>
    </message>
    <message>
        <source>domain &apos;%1&apos; (backend &apos;%2&apos;) has no hosts, so no request could reach it; add a hosts statement</source>
        <translation>le domaine «&#xa0;%1&#xa0;» (backend «&#xa0;%2&#xa0;») n&apos;a aucun hôte, aucune requête ne pourrait donc l&apos;atteindre&#xa0;; ajoutez une instruction hosts</translation>
    </message>
    <message>
        <source>domain &apos;%1&apos; serves tenants %2 only, which needs a tenants map (tenant domain -&gt; id); give one</source>
        <translation>le domaine «&#xa0;%1&#xa0;» ne sert que les tenants %2, ce qui nécessite une table des tenants (domaine de tenant -&gt; id)&#xa0;; fournissez-en une</translation>
    </message>
    <message>
        <source>host &apos;%1&apos; already routes to backend &apos;%2&apos; (line %3) for all tenants; one host cannot route to two backends, so give them different hosts</source>
        <translation>l&apos;hôte «&#xa0;%1&#xa0;» route déjà vers le backend «&#xa0;%2&#xa0;» (ligne %3) pour tous les tenants&#xa0;; un hôte ne peut pas router vers deux backends, donnez-leur donc des hôtes différents</translation>
    </message>
    <message>
        <source>no certificate given: there is no HTTPS listener on port %1</source>
        <translation>aucun certificat fourni&#xa0;: pas d&apos;écouteur HTTPS sur le port %1</translation>
    </message>
    <message>
        <source>host &apos;%1&apos; is served only for some tenants; requests for it without such a tenant get 503</source>
        <translation>l&apos;hôte «&#xa0;%1&#xa0;» n&apos;est servi que pour certains tenants&#xa0;; les requêtes qui lui sont adressées sans l&apos;un de ces tenants reçoivent une erreur 503</translation>
    </message>
    <message>
        <source>tenants %1 of backend &apos;%2&apos; overlap tenants %3 of backend &apos;%4&apos; on a shared host; the earlier backend gets them</source>
        <translation>les tenants %1 du backend «&#xa0;%2&#xa0;» chevauchent les tenants %3 du backend «&#xa0;%4&#xa0;» sur un hôte partagé&#xa0;; le premier backend les reçoit</translation>
    </message>
    <message>
        <source>no domain has a tenant range; the tenants map is not used</source>
        <translation>aucun domaine n&apos;a de plage de tenants&#xa0;; la table des tenants n&apos;est pas utilisée</translation>
    </message>
    <message numerus="yes">
        <source>there is no backend &apos;%1&apos;; its %n server(s) are left out</source>
        <translation>
            <numerusform>il n&apos;existe aucun backend «&#xa0;%1&#xa0;»&#xa0;; %n serveur qui lui est destiné est ignoré</numerusform>
            <numerusform>il n&apos;existe aucun backend «&#xa0;%1&#xa0;»&#xa0;; les %n serveurs qui lui sont destinés sont ignorés</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 &apos;%2&apos; must be an absolute path of letters, digits and / . _ - + @ ~ =</source>
        <translation>%1&#xa0;: «&#xa0;%2&#xa0;» doit être un chemin absolu composé de lettres, de chiffres et de / . _ - + @ ~ =</translation>
    </message>
    <message>
        <source>an admin socket path is required</source>
        <translation>un chemin de socket d&apos;administration est obligatoire</translation>
    </message>
    <message>
        <source>admin socket</source>
        <translation>socket d&apos;administration</translation>
    </message>
    <message>
        <source>admin socket path &apos;%1&apos; is longer than 97 bytes</source>
        <translation>le chemin du socket d&apos;administration «&#xa0;%1&#xa0;» dépasse 97 octets</translation>
    </message>
    <message>
        <source>hosts map</source>
        <translation>table des hôtes</translation>
    </message>
    <message>
        <source>tenants map</source>
        <translation>table des tenants</translation>
    </message>
    <message>
        <source>certificate</source>
        <translation>certificat</translation>
    </message>
    <message>
        <source>admin TCP address &apos;%1&apos; must be a loopback address with a port, e.g. 127.0.0.1:9999 or [::1]:9999</source>
        <translation>l&apos;adresse TCP d&apos;administration «&#xa0;%1&#xa0;» doit être une adresse de bouclage avec un port, p. ex. 127.0.0.1:9999 ou [::1]:9999</translation>
    </message>
    <message>
        <source>bind address &apos;%1&apos; must be * or an IP address</source>
        <translation>l&apos;adresse d&apos;écoute «&#xa0;%1&#xa0;» doit être * ou une adresse IP</translation>
    </message>
    <message>
        <source>ports %1 and %2 must be two different ports from 1 to 65535</source>
        <translation>les ports %1 et %2 doivent être deux ports différents compris entre 1 et 65535</translation>
    </message>
    <message>
        <source>ring name &apos;%1&apos; is not a valid HAProxy name</source>
        <translation>le nom de ring «&#xa0;%1&#xa0;» n&apos;est pas un nom HAProxy valide</translation>
    </message>
    <message>
        <source>server &apos;%1&apos; at %2:%3 weight %4 of backend &apos;%5&apos; cannot be rendered: check its name (unique), address, port and weight (0-256)</source>
        <translation>le serveur «&#xa0;%1&#xa0;» à %2:%3, poids %4, du backend «&#xa0;%5&#xa0;» ne peut pas être généré&#xa0;: vérifiez son nom (unique), son adresse, son port et son poids (0-256)</translation>
    </message>
    <message>
        <source>the reply is empty</source>
        <translation>la réponse est vide</translation>
    </message>
    <message>
        <source>it begins &quot;%1&quot;</source>
        <translation>elle commence par «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>not a &quot;show stat&quot; reply (no &quot;# pxname,svname,...&quot; header): %1</source>
        <translation>pas une réponse à «&#xa0;show stat&#xa0;» (pas d&apos;en-tête «&#xa0;# pxname,svname,...&#xa0;»)&#xa0;: %1</translation>
    </message>
    <message>
        <source>not a &quot;show servers state&quot; reply of format 1: %1</source>
        <translation>pas une réponse à «&#xa0;show servers state&#xa0;» au format 1&#xa0;: %1</translation>
    </message>
    <message>
        <source>the &quot;show servers state&quot; reply has no &quot;# be_id be_name ...&quot; header: %1</source>
        <translation>la réponse à «&#xa0;show servers state&#xa0;» n&apos;a pas d&apos;en-tête «&#xa0;# be_id be_name ...&#xa0;»&#xa0;: %1</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an HAProxy backend name (letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos;, &apos;:&apos;)</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas un nom de backend HAProxy (lettres, chiffres, «&#xa0;-&#xa0;», «&#xa0;_&#xa0;», «&#xa0;.&#xa0;», «&#xa0;:&#xa0;»)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an HAProxy server name (letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos;, &apos;:&apos;)</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas un nom de serveur HAProxy (lettres, chiffres, «&#xa0;-&#xa0;», «&#xa0;_&#xa0;», «&#xa0;.&#xa0;», «&#xa0;:&#xa0;»)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; port %2 is not a server address</source>
        <translation>«&#xa0;%1&#xa0;» port %2 n&apos;est pas une adresse de serveur</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a server keyword</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas un mot-clé de serveur</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is neither a socket path nor HOST:PORT (e.g. /run/haproxy/admin.sock or 127.0.0.1:9999)</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est ni un chemin de socket ni HOST:PORT (p. ex. /run/haproxy/admin.sock ou 127.0.0.1:9999)</translation>
    </message>
    <message>
        <source>no answer within %1 s</source>
        <translation>aucune réponse en %1 s</translation>
    </message>
    <message>
        <source>an empty command is not sent</source>
        <translation>une commande vide n&apos;est pas envoyée</translation>
    </message>
    <message>
        <source>a command to HAProxy&apos;s admin socket must be one line: &quot;%1&quot;</source>
        <translation>une commande pour le socket d&apos;administration de HAProxy doit tenir sur une seule ligne&#xa0;: «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>connection refused (is HAProxy running?)</source>
        <translation>connexion refusée (HAProxy est-il démarré&#xa0;?)</translation>
    </message>
    <message>
        <source>no socket at that path</source>
        <translation>aucun socket à cet emplacement</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>permission refusée</translation>
    </message>
    <message>
        <source>the reply is larger than %1 MB; this is not HAProxy answering, or not the command asked</source>
        <translation>la réponse dépasse %1 MB&#xa0;; ce n&apos;est pas HAProxy qui répond, ou pas à la commande demandée</translation>
    </message>
    <message>
        <source>no complete answer within %1 s</source>
        <translation>aucune réponse complète en %1 s</translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket %1: %2</source>
        <translation>socket d&apos;administration de HAProxy %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>not a &quot;show info&quot; reply</source>
        <translation>pas une réponse à «&#xa0;show info&#xa0;»</translation>
    </message>
    <message>
        <source>HAProxy did not answer &quot;%1&quot;</source>
        <translation>HAProxy n&apos;a pas répondu à «&#xa0;%1&#xa0;»</translation>
    </message>
</context>
<context>
    <name>Tribune::HistoryRecorder</name>
    <message>
        <source>no history is kept: %1</source>
        <translation>aucun historique n&apos;est conservé&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Tribune::HistoryStore</name>
    <message>
        <source>Could not add an event to the history</source>
        <translation>Impossible d&apos;ajouter un événement à l&apos;historique</translation>
    </message>
    <message>
        <source>the event has no time</source>
        <translation>l&apos;événement n&apos;a pas d&apos;horodatage</translation>
    </message>
    <message>
        <source>Could not add events to the history</source>
        <translation>Impossible d&apos;ajouter des événements à l&apos;historique</translation>
    </message>
    <message>
        <source>Could not read events from the history</source>
        <translation>Impossible de lire les événements de l&apos;historique</translation>
    </message>
    <message>
        <source>Could not add samples to the history</source>
        <translation>Impossible d&apos;ajouter des échantillons à l&apos;historique</translation>
    </message>
    <message>
        <source>a sample of member &apos;%1&apos; has no time</source>
        <translation>un échantillon du membre «&#xa0;%1&#xa0;» n&apos;a pas d&apos;horodatage</translation>
    </message>
    <message>
        <source>Could not read samples from the history</source>
        <translation>Impossible de lire les échantillons de l&apos;historique</translation>
    </message>
    <message>
        <source>Could not compact the history</source>
        <translation>Impossible de compacter l&apos;historique</translation>
    </message>
    <message>
        <source>no time was given</source>
        <translation>aucune heure n&apos;a été indiquée</translation>
    </message>
    <message>
        <source>Could not create the history&apos;s tables</source>
        <translation>Impossible de créer les tables de l&apos;historique</translation>
    </message>
    <message>
        <source>the driver gave no reason</source>
        <translation>le pilote n&apos;a donné aucune raison</translation>
    </message>
    <message>
        <source>Use sqlite:///path/history.sqlite, mysql://user:password@host:port/database, mariadb://... or postgresql://...; write characters such as @ : / in the user or password as %40 %3A %2F.</source>
        <translation>Utilisez sqlite:///path/history.sqlite, mysql://user:password@host:port/database, mariadb://... ou postgresql://...&#xa0;; dans l&apos;utilisateur ou le mot de passe, écrivez les caractères tels que @&#xa0;: / sous la forme %40 %3A %2F.</translation>
    </message>
    <message>
        <source>There is no data folder to keep the history in.</source>
        <translation>Il n&apos;y a aucun dossier de données où conserver l&apos;historique.</translation>
    </message>
    <message>
        <source>Could not create the folder %1 for the history.</source>
        <translation>Impossible de créer le dossier %1 pour l&apos;historique.</translation>
    </message>
    <message>
        <source>the SQLite database %1</source>
        <translation>la base de données SQLite %1</translation>
    </message>
    <message>
        <source>The history URL %1 is not valid (%2). %3</source>
        <translation>L&apos;URL d&apos;historique %1 n&apos;est pas valide (%2). %3</translation>
    </message>
    <message>
        <source>The history URL %1 names no file. %2</source>
        <translation>L&apos;URL d&apos;historique %1 ne désigne aucun fichier. %2</translation>
    </message>
    <message>
        <source>Qt&apos;s MySQL/MariaDB driver (QMYSQL) is not installed, so the history at %1 cannot be opened. Install it with: sudo apt-get install libqt6sql6-mysql</source>
        <translation>Le pilote MySQL/MariaDB de Qt (QMYSQL) n&apos;est pas installé&#xa0;: l&apos;historique situé à %1 ne peut donc pas être ouvert. Installez-le avec&#xa0;: sudo apt-get install libqt6sql6-mysql</translation>
    </message>
    <message>
        <source>Qt&apos;s PostgreSQL driver (QPSQL) is not installed, so the history at %1 cannot be opened. Install it with: sudo apt-get install libqt6sql6-psql</source>
        <translation>Le pilote PostgreSQL de Qt (QPSQL) n&apos;est pas installé&#xa0;: l&apos;historique situé à %1 ne peut donc pas être ouvert. Installez-le avec&#xa0;: sudo apt-get install libqt6sql6-psql</translation>
    </message>
    <message>
        <source>The history location %1 is not a URL: it has no scheme such as sqlite: or mysql:. %2</source>
        <translation>L&apos;emplacement d&apos;historique %1 n&apos;est pas une URL&#xa0;: il n&apos;a pas de schéma tel que sqlite: ou mysql:. %2</translation>
    </message>
    <message>
        <source>The history URL %1 has an unknown scheme &apos;%2&apos;. %3</source>
        <translation>L&apos;URL d&apos;historique %1 a un schéma inconnu «&#xa0;%2&#xa0;». %3</translation>
    </message>
    <message>
        <source>The history URL %1 needs a host and a database name. %2</source>
        <translation>L&apos;URL d&apos;historique %1 doit comporter un hôte et un nom de base de données. %2</translation>
    </message>
    <message>
        <source>the %1 database &apos;%2&apos; on %3 (user &apos;%4&apos;)</source>
        <translation>la base de données %1 «&#xa0;%2&#xa0;» sur %3 (utilisateur «&#xa0;%4&#xa0;»)</translation>
    </message>
    <message>
        <source>Could not open %1: %2</source>
        <translation>Impossible d&apos;ouvrir %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>the connection to the database was lost (%1); check that the database server runs, then connect to the cluster again</source>
        <translation>la connexion à la base de données a été perdue (%1)&#xa0;; vérifiez que le serveur de base de données fonctionne, puis reconnectez-vous au cluster</translation>
    </message>
    <message>
        <source>%1 in %2: %3</source>
        <translation>%1 dans %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>Could not set up the history (%1)</source>
        <translation>Impossible de mettre en place l&apos;historique (%1)</translation>
    </message>
    <message>
        <source>Could not read &apos;%1&apos; of the history</source>
        <translation>Impossible de lire «&#xa0;%1&#xa0;» dans l&apos;historique</translation>
    </message>
    <message>
        <source>the table tribune_meta has no such row</source>
        <translation>la table tribune_meta ne contient pas cette ligne</translation>
    </message>
    <message>
        <source>Could not read what the history holds</source>
        <translation>Impossible de lire le contenu de l&apos;historique</translation>
    </message>
    <message>
        <source>Could not list the history&apos;s tables</source>
        <translation>Impossible de lister les tables de l&apos;historique</translation>
    </message>
    <message>
        <source>Could not use the history</source>
        <translation>Impossible d&apos;utiliser l&apos;historique</translation>
    </message>
    <message>
        <source>it has schema version %1, written by a newer Tribune; this one knows versions up to %2</source>
        <translation>son schéma est en version %1, écrite par un Tribune plus récent&#xa0;; celui-ci connaît les versions jusqu&apos;à %2</translation>
    </message>
</context>
<context>
    <name>Tribune::HostModel</name>
    <message>
        <source>cannot read the file: %1</source>
        <translation>impossible de lire le fichier&#xa0;: %1</translation>
    </message>
    <message>
        <source>the file is %1 bytes, more than the %2 a hosts or servers file may have</source>
        <translation>le fichier fait %1 octets, plus que les %2 autorisés pour un fichier hosts ou servers</translation>
    </message>
    <message>
        <source>the file is larger than %1 bytes</source>
        <translation>le fichier dépasse %1 octets</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IPv4 or IPv6 address; a hosts line is ADDRESS NAME...</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas une adresse IPv4 ou IPv6&#xa0;; une ligne de hosts s&apos;écrit ADDRESS NAME...</translation>
    </message>
    <message>
        <source>the address %1 names no host; write the names after it</source>
        <translation>l&apos;adresse %1 ne désigne aucun hôte&#xa0;; écrivez les noms après elle</translation>
    </message>
    <message>
        <source>more than %1 names on one line</source>
        <translation>plus de %1 noms sur une ligne</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a host name (letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;, at most %2 characters)</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas un nom d&apos;hôte (lettres, chiffres, «&#xa0;-&#xa0;», «&#xa0;_&#xa0;» et «&#xa0;.&#xa0;», %2 caractères au plus)</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is neither an address nor a host name; a servers line is ADDRESS FOLDER...</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est ni une adresse ni un nom d&apos;hôte&#xa0;; une ligne de servers s&apos;écrit ADDRESS FOLDER...</translation>
    </message>
    <message>
        <source>server %1 names no node folder; write the folders on it after the address</source>
        <translation>le serveur %1 ne désigne aucun dossier de nœud&#xa0;; écrivez après l&apos;adresse les dossiers qu&apos;il héberge</translation>
    </message>
    <message>
        <source>more than %1 folders on one line</source>
        <translation>plus de %1 dossiers sur une ligne</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a folder name: name the node&apos;s folder in the cluster folder, without a path</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas un nom de dossier&#xa0;: indiquez le dossier du nœud dans le dossier du cluster, sans chemin</translation>
    </message>
    <message>
        <source>folder %1 is already placed on line %2; a node is on one server</source>
        <translation>le dossier %1 est déjà placé à la ligne %2&#xa0;; un nœud se trouve sur un seul serveur</translation>
    </message>
</context>
<context>
    <name>Tribune::KeyRing</name>
    <message>
        <source>Cannot read the key file %1 (%2): check the path, and that you may read the file.</source>
        <translation>Impossible de lire le fichier de clé %1 (%2)&#xa0;: vérifiez le chemin, et que vous avez le droit de lire le fichier.</translation>
    </message>
    <message>
        <source>The key file %1 can be read by other users, so its keys are no secret: run &quot;chmod 600 %1&quot; and try again.</source>
        <translation>Le fichier de clé %1 est lisible par d&apos;autres utilisateurs, ses clés ne sont donc pas secrètes&#xa0;: exécutez «&#xa0;chmod 600 %1&#xa0;» et réessayez.</translation>
    </message>
    <message>
        <source>%1:%2: expected &quot;member|console|viewer = &lt;base64 key of at least 16 bytes&gt;&quot;</source>
        <translation>%1:%2&#xa0;: attendu «&#xa0;member|console|viewer = &lt;clé base64 d&apos;au moins 16 octets&gt;&#xa0;»</translation>
    </message>
    <message>
        <source>%1: the key file holds no key</source>
        <translation>%1&#xa0;: le fichier de clé ne contient aucune clé</translation>
    </message>
    <message>
        <source>%1: cannot write the key file: %2</source>
        <translation>%1&#xa0;: impossible d&apos;écrire le fichier de clé&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::LiveCluster</name>
    <message>
        <source>no longer in the view</source>
        <translation>n&apos;est plus dans la vue</translation>
    </message>
    <message>
        <source>%1 (was %2)</source>
        <translation>%1 (auparavant %2)</translation>
    </message>
    <message>
        <source>load balancer: %1 → %2 (%3)</source>
        <translation>répartiteur de charge&#xa0;: %1 → %2 (%3)</translation>
    </message>
    <message>
        <source>load balancer: server %1 added to %2 (%3), no agent behind it</source>
        <translation>répartiteur de charge&#xa0;: serveur %1 ajouté à %2 (%3), sans agent derrière lui</translation>
    </message>
    <message>
        <source>load balancer: server %1 removed from %2</source>
        <translation>répartiteur de charge&#xa0;: serveur %1 retiré de %2</translation>
    </message>
</context>
<context>
    <name>Tribune::LiveClusterModel</name>
    <message>
        <source>Load balancer</source>
        <translation>Répartiteur de charge</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <source>Membership</source>
        <translation>Appartenance</translation>
    </message>
    <message>
        <source>Member · HTTP/HTTPS</source>
        <translation>Membre · HTTP/HTTPS</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sessions</translation>
    </message>
    <message>
        <source>Req/s</source>
        <translation>Req/s</translation>
    </message>
    <message>
        <source>Resp. ms</source>
        <translation>Rép. ms</translation>
    </message>
    <message>
        <source>frontend</source>
        <translation>frontend</translation>
    </message>
    <message>
        <source>no agent</source>
        <translation>sans agent</translation>
    </message>
    <message>
        <source>removed from the load balancer</source>
        <translation>retiré du répartiteur de charge</translation>
    </message>
    <message>
        <source>not a server</source>
        <translation>pas un serveur</translation>
    </message>
    <message>
        <source>no statistics: %1</source>
        <translation>aucune statistique&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1/%2 up</source>
        <translation>%1/%2 en ligne</translation>
    </message>
</context>
<context>
    <name>Tribune::LiveConfigFetch</name>
    <message>
        <source>%1: refused: %2</source>
        <translation>%1&#xa0;: refusé&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>a member calls itself &quot;%1&quot;, which cannot name a folder; not read</source>
        <translation>un membre s&apos;appelle «&#xa0;%1&#xa0;», ce qui ne peut pas servir de nom de dossier&#xa0;; non lu</translation>
    </message>
    <message>
        <source>%1: not read, the member is %2</source>
        <translation>%1&#xa0;: non lu, le membre est %2</translation>
    </message>
    <message>
        <source>the view holds %1 members, more than the %2 read at once</source>
        <translation>la vue contient %1 membres, plus que les %2 lus en une fois</translation>
    </message>
    <message>
        <source>%1: not read: %2</source>
        <translation>%1&#xa0;: non lu&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: refused file name &quot;%2&quot;</source>
        <translation>%1&#xa0;: nom de fichier «&#xa0;%2&#xa0;» refusé</translation>
    </message>
    <message>
        <source>%1: more than %2 bytes of files in all; the rest is not read</source>
        <translation>%1&#xa0;: plus de %2 octets de fichiers au total&#xa0;; le reste n&apos;est pas lu</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1&#xa0;: écriture impossible&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::LivePages</name>
    <message>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <source>removed from the load balancer</source>
        <translation>retiré du répartiteur de charge</translation>
    </message>
    <message>
        <source>not a server</source>
        <translation>pas un serveur</translation>
    </message>
    <message>
        <source>%1 in %2, check %3, weight %4, since %5</source>
        <translation>%1 dans %2, contrôle %3, poids %4, depuis %5</translation>
    </message>
    <message>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <source>%1 sessions, %2 req/s, in %3 kB/s, out %4 kB/s</source>
        <translation>%1 sessions, %2 req/s, entrée %3 kB/s, sortie %4 kB/s</translation>
    </message>
    <message>
        <source>Frontend %1</source>
        <translation>Frontend %1</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>Traffic in</source>
        <translation>Trafic entrant</translation>
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
        <translation>Répartiteur de charge</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>Trafic</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>none: only the load balancer knows this server. Run tribune-agent on it to see its membership, health and configuration here.</source>
        <translation>aucun&#xa0;: seul le répartiteur de charge connaît ce serveur. Exécutez tribune-agent sur celui-ci pour voir ici son appartenance, son état de santé et sa configuration.</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Domaine</translation>
    </message>
    <message>
        <source>Membership</source>
        <translation>Appartenance</translation>
    </message>
    <message>
        <source>%1 since %2%3</source>
        <translation>%1 depuis %2%3</translation>
    </message>
    <message>
        <source>Host and ports</source>
        <translation>Hôte et ports</translation>
    </message>
    <message>
        <source>%1, membership %2, HTTP %3, HTTPS %4 (offset %5)</source>
        <translation>%1, appartenance %2, HTTP %3, HTTPS %4 (décalage %5)</translation>
    </message>
    <message>
        <source>Port mappings</source>
        <translation>Correspondances de ports</translation>
    </message>
    <message>
        <source>Incarnation</source>
        <translation>Incarnation</translation>
    </message>
    <message>
        <source>%1 (started %2)</source>
        <translation>%1 (démarrée le %2)</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>État de santé</translation>
    </message>
    <message>
        <source>up %1, CPU %2 %, RSS %3</source>
        <translation>actif depuis %1, CPU %2&#xa0;%, RSS %3</translation>
    </message>
    <message>
        <source>no report yet</source>
        <translation>aucun rapport pour l&apos;instant</translation>
    </message>
    <message>
        <source>Probe round trips</source>
        <translation>Allers-retours des sondes</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>aucun pour l&apos;instant</translation>
    </message>
    <message>
        <source>%1 alive</source>
        <translation>%1 en ligne</translation>
    </message>
    <message>
        <source>%1 suspect</source>
        <translation>%1 sous suspicion</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>%1 en échec</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>%1 ayant quitté le cluster</translation>
    </message>
    <message>
        <source>%1 without an agent</source>
        <translation>%1 sans agent</translation>
    </message>
    <message>
        <source>%1 serving</source>
        <translation>%1 en service</translation>
    </message>
    <message>
        <source>%1 DOWN</source>
        <translation>%1 DOWN</translation>
    </message>
    <message>
        <source>%1 drained or in maintenance</source>
        <translation>%1 en vidange ou en maintenance</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Membres</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>Frontends</source>
        <translation>Frontends</translation>
    </message>
    <message>
        <source>no servers</source>
        <translation>aucun serveur</translation>
    </message>
    <message>
        <source>%1 req/s, %2 sessions</source>
        <translation>%1 req/s, %2 sessions</translation>
    </message>
    <message>
        <source>%1 (%2 req/s, %3 sessions)</source>
        <translation>%1 (%2 req/s, %3 sessions)</translation>
    </message>
    <message>
        <source>Busiest</source>
        <translation>Plus sollicités</translation>
    </message>
    <message>
        <source>no traffic now</source>
        <translation>aucun trafic actuellement</translation>
    </message>
    <message>
        <source>%1 %2 %3: %4</source>
        <translation>%1 %2 %3&#xa0;: %4</translation>
    </message>
    <message>
        <source>Recent problems</source>
        <translation>Problèmes récents</translation>
    </message>
    <message>
        <source>none in the event log</source>
        <translation>aucun dans le journal des événements</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Graphiques</translation>
    </message>
</context>
<context>
    <name>Tribune::LiveSession</name>
    <message>
        <source>history: %1</source>
        <translation>historique&#xa0;: %1</translation>
    </message>
    <message>
        <source>the flight recorder</source>
        <translation>l&apos;enregistreur de vol</translation>
    </message>
    <message>
        <source>the cluster and the minutes before this %1: %2</source>
        <translation>le cluster et les minutes précédant cet événement %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>no snapshot of this %1: %2</source>
        <translation>aucun instantané de cet événement %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>the viewer key is read-only; connect with the console key to change members</source>
        <translation>la clé viewer est en lecture seule&#xa0;; connectez-vous avec la clé console pour modifier les membres</translation>
    </message>
    <message>
        <source>no load balancer admin socket was given (--lb-socket)</source>
        <translation>aucun socket d&apos;administration du répartiteur de charge n&apos;a été indiqué (--lb-socket)</translation>
    </message>
</context>
<context>
    <name>Tribune::LiveView</name>
    <message>
        <source>not a server</source>
        <translation>pas un serveur</translation>
    </message>
    <message>
        <source>Filter members, domains, states… (Ctrl+F)</source>
        <translation>Filtrer membres, domaines, états… (Ctrl+F)</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>Tous les événements</translation>
    </message>
    <message>
        <source>Search events</source>
        <translation>Rechercher des événements</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>The charts stack this sub-domain&apos;s members, one colour each.</source>
        <translation>Les graphiques empilent les membres de ce sous-domaine, une couleur par membre.</translation>
    </message>
    <message>
        <source>The charts sum the members below this row.</source>
        <translation>Les graphiques additionnent les membres situés sous cette ligne.</translation>
    </message>
    <message>
        <source>Drain</source>
        <translation>Vidanger</translation>
    </message>
    <message>
        <source>Put in maintenance</source>
        <translation>Mettre en maintenance</translation>
    </message>
    <message>
        <source>%1 %2 member(s)? They stop taking new traffic:
%3</source>
        <translation>%1 %2 membre(s)&#xa0;? Ils ne recevront plus de nouveau trafic&#xa0;:
%3</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Prêt</translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation>Maintenance</translation>
    </message>
    <message>
        <source>Set Weight…</source>
        <translation>Définir le poids…</translation>
    </message>
    <message>
        <source>Set Weight</source>
        <translation>Définir le poids</translation>
    </message>
    <message>
        <source>Weight, in percent of the initial weight:</source>
        <translation>Poids, en pourcentage du poids initial&#xa0;:</translation>
    </message>
    <message>
        <source>New Sub-domain…</source>
        <translation>Nouveau sous-domaine…</translation>
    </message>
    <message>
        <source>Connect with a well-known member too: a new node is configured through the agents</source>
        <translation>Connectez-vous aussi à un membre connu&#xa0;: un nouveau nœud se configure via les agents</translation>
    </message>
    <message>
        <source>Add a Node Like This One…</source>
        <translation>Ajouter un nœud semblable à celui-ci…</translation>
    </message>
    <message>
        <source>Add a Node to This Sub-domain…</source>
        <translation>Ajouter un nœud à ce sous-domaine…</translation>
    </message>
    <message>
        <source>Configure…</source>
        <translation>Configurer…</translation>
    </message>
</context>
<context>
    <name>Tribune::LoadBalancerLink</name>
    <message>
        <source>drain</source>
        <translation>drain</translation>
    </message>
    <message>
        <source>maintenance</source>
        <translation>maintenance</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>ready</translation>
    </message>
    <message>
        <source>not set to %1: the load balancer has no server for this member</source>
        <translation>non passé à l&apos;état %1&#xa0;: le répartiteur de charge n&apos;a aucun serveur pour ce membre</translation>
    </message>
    <message>
        <source>set to %1</source>
        <translation>passé à l&apos;état %1</translation>
    </message>
    <message>
        <source>setting %1 failed: %2</source>
        <translation>échec du passage à l&apos;état %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>weight not set: the load balancer has no server for this member</source>
        <translation>poids non modifié&#xa0;: le répartiteur de charge n&apos;a aucun serveur pour ce membre</translation>
    </message>
    <message>
        <source>weight set to %1</source>
        <translation>poids fixé à %1</translation>
    </message>
    <message>
        <source>setting the weight failed: %1</source>
        <translation>échec de la modification du poids&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Tribune::MainWindow</name>
    <message>
        <source>Tribune</source>
        <translation>Tribune</translation>
    </message>
    <message>
        <source>Configuration files</source>
        <translation>Fichiers de configuration</translation>
    </message>
    <message>
        <source>%1 — Tribune</source>
        <translation>%1 — Tribune</translation>
    </message>
    <message>
        <source>Live cluster</source>
        <translation>Cluster en direct</translation>
    </message>
    <message>
        <source>Connect with a well-known member too (Cluster › Connect…): this comes from the members&apos; agents</source>
        <translation>Connectez-vous aussi à un membre connu (Cluster › Se connecter…)&#xa0;: cette information provient des agents des membres</translation>
    </message>
    <message>
        <source>Connecting to %1… the connection shown stays until it answers.</source>
        <translation>Connexion à %1… la connexion affichée est conservée jusqu&apos;à obtention d&apos;une réponse.</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Connexion à %1…</translation>
    </message>
    <message>
        <source>The connection shown before stays.</source>
        <translation>La connexion affichée auparavant est conservée.</translation>
    </message>
    <message>
        <source>Could not connect: %1</source>
        <translation>Connexion impossible&#xa0;: %1</translation>
    </message>
    <message>
        <source>Cannot Connect</source>
        <translation>Connexion impossible</translation>
    </message>
    <message>
        <source>Tribune could not connect to the cluster: %1.</source>
        <translation>Tribune n&apos;a pas pu se connecter au cluster&#xa0;: %1.</translation>
    </message>
    <message>
        <source>Check the address and port in Cluster › Connect…, and that the agent or HAProxy runs there.</source>
        <translation>Vérifiez l&apos;adresse et le port dans Cluster › Se connecter…, ainsi que l&apos;exécution de l&apos;agent ou de HAProxy à cette adresse.</translation>
    </message>
    <message>
        <source>&amp;Cluster</source>
        <translation>&amp;Cluster</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>&amp;Se connecter…</translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation>Ctrl+K</translation>
    </message>
    <message>
        <source>&amp;Open Cluster Folder…</source>
        <translation>&amp;Ouvrir un dossier de cluster…</translation>
    </message>
    <message>
        <source>&amp;Reload and Validate</source>
        <translation>&amp;Recharger et valider</translation>
    </message>
    <message>
        <source>Check the R&amp;unning Cluster&apos;s Files</source>
        <translation>&amp;Vérifier les fichiers du cluster en service</translation>
    </message>
    <message>
        <source>Read every member&apos;s configuration files from its agent and validate the whole running cluster</source>
        <translation>Lire les fichiers de configuration de chaque membre auprès de son agent et valider l&apos;ensemble du cluster en service</translation>
    </message>
    <message>
        <source>&amp;Add a Node…</source>
        <translation>&amp;Ajouter un nœud…</translation>
    </message>
    <message>
        <source>E&amp;xport Snapshot…</source>
        <translation>E&amp;xporter un instantané…</translation>
    </message>
    <message>
        <source>Write the running cluster to one file: members, health, HAProxy&apos;s view, every node&apos;s files (passwords redacted), findings, and the last events and samples</source>
        <translation>Écrire le cluster en service dans un seul fichier&#xa0;: membres, état de santé, vue de HAProxy, fichiers de chaque nœud (mots de passe masqués), constats, ainsi que les derniers événements et échantillons</translation>
    </message>
    <message>
        <source>Co&amp;mpare With Snapshot…</source>
        <translation>Co&amp;mparer avec un instantané…</translation>
    </message>
    <message>
        <source>What changed since a snapshot: members, each domain&apos;s traffic, every node&apos;s files, findings</source>
        <translation>Ce qui a changé depuis un instantané&#xa0;: membres, trafic de chaque domaine, fichiers de chaque nœud, constats</translation>
    </message>
    <message>
        <source>Reading every member&apos;s files from its agent…</source>
        <translation>Lecture des fichiers de chaque membre auprès de son agent…</translation>
    </message>
    <message>
        <source>Some Members&apos; Files Were Not Read</source>
        <translation>Les fichiers de certains membres n&apos;ont pas été lus</translation>
    </message>
    <message>
        <source>Cannot Read the Running Cluster</source>
        <translation>Impossible de lire le cluster en service</translation>
    </message>
    <message>
        <source>Open S&amp;napshot…</source>
        <translation>Ouvrir un i&amp;nstantané…</translation>
    </message>
    <message>
        <source>Open a *.tribune-snapshot file in a window of its own, read-only</source>
        <translation>Ouvrir un fichier *.tribune-snapshot dans une fenêtre distincte, en lecture seule</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Préférences…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Expand All</source>
        <translation>Tout &amp;déplier</translation>
    </message>
    <message>
        <source>&amp;Forget Departed Members</source>
        <translation>&amp;Oublier les membres partis</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ai&amp;de</translation>
    </message>
    <message>
        <source>&amp;Documentation</source>
        <translation>&amp;Documentation</translation>
    </message>
    <message>
        <source>&amp;About Tribune</source>
        <translation>À &amp;propos de Tribune</translation>
    </message>
    <message>
        <source>About Tribune</source>
        <translation>À propos de Tribune</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Tribune %1&lt;/h3&gt;&lt;p&gt;A console for application-server clusters: the load balancer, the domains and their members, live; their configuration, validated and pushed; snapshots of it all.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Tribune %1&lt;/h3&gt;&lt;p&gt;Une console pour les clusters de serveurs d&apos;applications&#xa0;: le répartiteur de charge, les domaines et leurs membres, en direct&#xa0;; leur configuration, validée et envoyée&#xa0;; des instantanés de l&apos;ensemble.&lt;/p&gt;&lt;p&gt;Compilé avec Qt %2.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <source>Export Snapshot</source>
        <translation>Exporter un instantané</translation>
    </message>
    <message>
        <source>Tribune snapshot (*.tribune-snapshot)</source>
        <translation>Instantané Tribune (*.tribune-snapshot)</translation>
    </message>
    <message>
        <source>Cannot Export a Snapshot</source>
        <translation>Impossible d&apos;exporter un instantané</translation>
    </message>
    <message>
        <source>Taking a snapshot of the running cluster…</source>
        <translation>Prise d&apos;un instantané du cluster en service…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Snapshot written: %1</source>
        <translation>Instantané écrit&#xa0;: %1</translation>
    </message>
    <message>
        <source>No snapshot: %1</source>
        <translation>Aucun instantané&#xa0;: %1</translation>
    </message>
    <message>
        <source>Compare With Snapshot</source>
        <translation>Comparer avec un instantané</translation>
    </message>
    <message>
        <source>Cannot Compare</source>
        <translation>Impossible de comparer</translation>
    </message>
    <message>
        <source>Taking the running cluster&apos;s state to compare…</source>
        <translation>Relevé de l&apos;état du cluster en service pour la comparaison…</translation>
    </message>
    <message>
        <source>The running cluster could not be read: %1</source>
        <translation>Le cluster en service n&apos;a pas pu être lu&#xa0;: %1</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Lecture de %1…</translation>
    </message>
    <message>
        <source>running cluster</source>
        <translation>cluster en service</translation>
    </message>
    <message>
        <source>Cannot Configure the Node</source>
        <translation>Impossible de configurer le nœud</translation>
    </message>
    <message>
        <source>%1 did not send its files; it may have left the cluster.</source>
        <translation>%1 n&apos;a pas envoyé ses fichiers&#xa0;; il a peut-être quitté le cluster.</translation>
    </message>
    <message>
        <source>Open Cluster Folder</source>
        <translation>Ouvrir un dossier de cluster</translation>
    </message>
    <message>
        <source>Documentation</source>
        <translation>Documentation</translation>
    </message>
    <message>
        <source>The documentation is not installed here: it is the README.md and the docs folder of Tribune&apos;s sources.</source>
        <translation>La documentation n&apos;est pas installée ici&#xa0;: il s&apos;agit du README.md et du dossier docs des sources de Tribune.</translation>
    </message>
    <message>
        <source>No program here opens %1; open it with a text viewer.</source>
        <translation>Aucun programme de ce système n&apos;ouvre %1&#xa0;; ouvrez-le avec une visionneuse de texte.</translation>
    </message>
    <message>
        <source>Cannot Open Cluster</source>
        <translation>Impossible d&apos;ouvrir le cluster</translation>
    </message>
    <message>
        <source>Some configuration files could not be read. The findings list each where it breaks; fix them and reload. The cluster shown before stays open.</source>
        <translation>Certains fichiers de configuration n&apos;ont pas pu être lus. Les constats indiquent pour chacun l&apos;endroit où il pose problème&#xa0;; corrigez-les et rechargez. Le cluster affiché auparavant reste ouvert.</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>Défaillance de %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 (%2) failed: %3</source>
        <translation>Défaillance de %1 (%2)&#xa0;: %3</translation>
    </message>
    <message>
        <source>Member failed</source>
        <translation>Défaillance d&apos;un membre</translation>
    </message>
    <message>
        <source>membership %1</source>
        <translation>appartenance %1</translation>
    </message>
    <message>
        <source>load balancer %1</source>
        <translation>répartiteur de charge %1</translation>
    </message>
    <message>
        <source>%1: not connected</source>
        <translation>%1&#xa0;: non connecté</translation>
    </message>
    <message>
        <source>%1: cannot connect: %2</source>
        <translation>%1&#xa0;: connexion impossible&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: connected, waiting for data</source>
        <translation>%1&#xa0;: connecté, en attente de données</translation>
    </message>
    <message>
        <source>%1: no answer for %2 s</source>
        <translation>%1&#xa0;: aucune réponse depuis %2 s</translation>
    </message>
    <message>
        <source>%1: confirmed %2 s ago</source>
        <translation>%1&#xa0;: confirmé il y a %2 s</translation>
    </message>
    <message>
        <source>health from %1 of %2 members</source>
        <translation>état de santé reçu de %1 membres sur %2</translation>
    </message>
    <message>
        <source>F&amp;ull Screen</source>
        <translation>&amp;Plein écran</translation>
    </message>
</context>
<context>
    <name>Tribune::Member</name>
    <message>
        <source>alive</source>
        <translation>en ligne</translation>
    </message>
    <message>
        <source>suspect</source>
        <translation>suspect</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>en échec</translation>
    </message>
    <message>
        <source>left</source>
        <translation>parti</translation>
    </message>
</context>
<context>
    <name>Tribune::MetricSeries</name>
    <message>
        <source>Requests per second</source>
        <translation>Requêtes par seconde</translation>
    </message>
    <message>
        <source>Current sessions</source>
        <translation>Sessions en cours</translation>
    </message>
    <message>
        <source>Bytes in per second</source>
        <translation>Octets reçus par seconde</translation>
    </message>
    <message>
        <source>Bytes out per second</source>
        <translation>Octets émis par seconde</translation>
    </message>
    <message>
        <source>5xx responses per second</source>
        <translation>Réponses 5xx par seconde</translation>
    </message>
    <message>
        <source>Response time (ms)</source>
        <translation>Temps de réponse (ms)</translation>
    </message>
    <message numerus="yes">
        <source>%n other(s)</source>
        <translation>
            <numerusform>%n autre</numerusform>
            <numerusform>%n autres</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tribune::NodeConfigStore</name>
    <message>
        <source>%1 is damaged or incomplete; the backup cannot be used</source>
        <translation>%1 est endommagé ou incomplet&#xa0;; la sauvegarde est inutilisable</translation>
    </message>
    <message>
        <source>simulated failure</source>
        <translation>échec simulé</translation>
    </message>
    <message>
        <source>could not record the folders the change creates in %1: %2. Nothing was changed; check free space and permissions there and try again.</source>
        <translation>impossible d&apos;enregistrer dans %1 les dossiers que crée la modification&#xa0;: %2. Rien n&apos;a été modifié&#xa0;; vérifiez l&apos;espace libre et les permissions à cet emplacement, puis réessayez.</translation>
    </message>
    <message>
        <source>could not write the new version of %1: %2. Nothing was changed; check free space and permissions in %3 and try again.</source>
        <translation>impossible d&apos;écrire la nouvelle version de %1&#xa0;: %2. Rien n&apos;a été modifié&#xa0;; vérifiez l&apos;espace libre et les permissions dans %3, puis réessayez.</translation>
    </message>
    <message>
        <source>could not save %1 in backup %2: %3. Nothing was changed; check free space and permissions in %4 and try again.</source>
        <translation>impossible d&apos;enregistrer %1 dans la sauvegarde %2&#xa0;: %3. Rien n&apos;a été modifié&#xa0;; vérifiez l&apos;espace libre et les permissions dans %4, puis réessayez.</translation>
    </message>
    <message>
        <source>could not write the change&apos;s journal %1: %2. Nothing was changed; check free space and permissions there and try again.</source>
        <translation>impossible d&apos;écrire le journal de la modification %1&#xa0;: %2. Rien n&apos;a été modifié&#xa0;; vérifiez l&apos;espace libre et les permissions à cet emplacement, puis réessayez.</translation>
    </message>
    <message>
        <source>could not replace %1: %2. The files already replaced were put back, so nothing was changed; check permissions and free space in %3 and try again.</source>
        <translation>impossible de remplacer %1&#xa0;: %2. Les fichiers déjà remplacés ont été remis en place, donc rien n&apos;a été modifié&#xa0;; vérifiez les permissions et l&apos;espace libre dans %3, puis réessayez.</translation>
    </message>
    <message>
        <source>could not replace %1: %2, and putting back the files already replaced failed too: %3. The configuration is now partly changed; copy the files of backup %4 (%5) back into repository/conf by hand.</source>
        <translation>impossible de remplacer %1&#xa0;: %2, et la remise en place des fichiers déjà remplacés a également échoué&#xa0;: %3. La configuration est maintenant partiellement modifiée&#xa0;; recopiez manuellement les fichiers de la sauvegarde %4 (%5) dans repository/conf.</translation>
    </message>
    <message>
        <source>cannot prepare the backups and the audit log: %1. Nothing was changed; make %2 writable for the agent and try again.</source>
        <translation>impossible de préparer les sauvegardes et le journal d&apos;audit&#xa0;: %1. Rien n&apos;a été modifié&#xa0;; rendez %2 accessible en écriture à l&apos;agent, puis réessayez.</translation>
    </message>
    <message>
        <source>the files were replaced (backup %1 holds the previous versions), but %2. A crash now could lose the change; check the disk&apos;s health.</source>
        <translation>les fichiers ont été remplacés (la sauvegarde %1 contient les versions précédentes), mais %2. Un plantage à ce stade pourrait faire perdre la modification&#xa0;; vérifiez l&apos;état du disque.</translation>
    </message>
    <message>
        <source>the files were replaced (backup %1 holds the previous versions), but the audit log could not be written: %2. Check free space and add the change to %3 by hand.</source>
        <translation>les fichiers ont été remplacés (la sauvegarde %1 contient les versions précédentes), mais le journal d&apos;audit n&apos;a pas pu être écrit&#xa0;: %2. Vérifiez l&apos;espace libre et ajoutez manuellement la modification à %3.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>an interrupted change (backup %1) could not be completed: %2; copy the files of %3 back into repository/conf by hand</source>
        <translation>une modification interrompue (sauvegarde %1) n&apos;a pas pu être menée à terme&#xa0;: %2&#xa0;; recopiez manuellement les fichiers de %3 dans repository/conf</translation>
    </message>
    <message>
        <source>completed the change of backup %1 that a stop interrupted</source>
        <translation>achèvement de la modification de la sauvegarde %1, qu&apos;un arrêt avait interrompue</translation>
    </message>
    <message>
        <source>put back the files of backup %1: the change it began was interrupted</source>
        <translation>remise en place des fichiers de la sauvegarde %1&#xa0;: la modification qu&apos;elle avait entamée a été interrompue</translation>
    </message>
    <message numerus="yes">
        <source>removed %n file(s) left by interrupted changes</source>
        <translation>
            <numerusform>suppression de %n fichier laissé par des modifications interrompues</numerusform>
            <numerusform>suppression de %n fichiers laissés par des modifications interrompues</numerusform>
        </translation>
    </message>
    <message>
        <source>cannot inspect %1: %2</source>
        <translation>impossible d&apos;examiner %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot create %1: %2</source>
        <translation>impossible de créer %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot set the owner of %1: %2</source>
        <translation>impossible de définir le propriétaire de %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot set the permissions of %1: %2</source>
        <translation>impossible de définir les permissions de %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>impossible d&apos;écrire %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot flush %1 to disk: %2</source>
        <translation>impossible de synchroniser %1 sur le disque&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot close %1: %2</source>
        <translation>impossible de fermer %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>impossible de lire %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot flush folder %1 to disk: %2</source>
        <translation>impossible de synchroniser le dossier %1 sur le disque&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot rename %1 to %2: %3</source>
        <translation>impossible de renommer %1 en %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>cannot remove %1: %2</source>
        <translation>impossible de supprimer %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 exists but is not a folder</source>
        <translation>%1 existe mais n&apos;est pas un dossier</translation>
    </message>
    <message>
        <source>cannot create folder %1: %2</source>
        <translation>impossible de créer le dossier %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot append to %1: %2</source>
        <translation>impossible d&apos;ajouter à la fin de %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot open %1 for appending: %2</source>
        <translation>impossible d&apos;ouvrir %1 en ajout&#xa0;: %2</translation>
    </message>
    <message>
        <source>cannot create the agent&apos;s folder: %1. Make the node&apos;s CARBON_HOME writable for the agent and try again.</source>
        <translation>impossible de créer le dossier de l&apos;agent&#xa0;: %1. Rendez le CARBON_HOME du nœud accessible en écriture à l&apos;agent, puis réessayez.</translation>
    </message>
    <message>
        <source>another change to this node is in progress (lock file %1); wait for it to finish and try again</source>
        <translation>une autre modification de ce nœud est en cours (fichier de verrou %1)&#xa0;; attendez qu&apos;elle se termine, puis réessayez</translation>
    </message>
    <message>
        <source>cannot create the lock file %1; make %2 writable for the agent and try again</source>
        <translation>impossible de créer le fichier de verrou %1&#xa0;; rendez %2 accessible en écriture à l&apos;agent, puis réessayez</translation>
    </message>
    <message>
        <source>%1. Nothing was changed; give the agent read access to the node&apos;s configuration and try again.</source>
        <translation>%1. Rien n&apos;a été modifié&#xa0;; donnez à l&apos;agent l&apos;accès en lecture à la configuration du nœud, puis réessayez.</translation>
    </message>
    <message>
        <source>%1 is not a node: neither it nor its repository/conf holds axis2/axis2.xml or carbon.xml. Point the agent at the node&apos;s CARBON_HOME.</source>
        <translation>%1 n&apos;est pas un nœud&#xa0;: ni ce dossier ni son repository/conf ne contient axis2/axis2.xml ou carbon.xml. Indiquez à l&apos;agent le CARBON_HOME du nœud.</translation>
    </message>
    <message>
        <source>the change names nobody as its actor; say who makes it, so the audit log can record it, and try again</source>
        <translation>la modification n&apos;indique aucun auteur&#xa0;; précisez qui l&apos;effectue, afin que le journal d&apos;audit puisse l&apos;enregistrer, puis réessayez</translation>
    </message>
    <message>
        <source>cannot create a temporary folder to validate the change: %1. Nothing was changed; free space in the temporary folder (or set TMPDIR) and try again.</source>
        <translation>impossible de créer un dossier temporaire pour valider la modification&#xa0;: %1. Rien n&apos;a été modifié&#xa0;; libérez de l&apos;espace dans le dossier temporaire (ou définissez TMPDIR), puis réessayez.</translation>
    </message>
    <message>
        <source>cannot copy %1 to %2 to validate the change: %3. Nothing was changed; free space in the temporary folder (or set TMPDIR) and try again.</source>
        <translation>impossible de copier %1 vers %2 pour valider la modification&#xa0;: %3. Rien n&apos;a été modifié&#xa0;; libérez de l&apos;espace dans le dossier temporaire (ou définissez TMPDIR), puis réessayez.</translation>
    </message>
    <message>
        <source>the change was refused because the configuration would not parse; nothing was changed. Correct these and try again:
%1</source>
        <translation>la modification a été refusée, car la configuration ne serait pas analysable&#xa0;; rien n&apos;a été modifié. Corrigez ces points, puis réessayez&#xa0;:
%1</translation>
    </message>
    <message>
        <source>%1: %2 (to fix: %3) [%4]</source>
        <translation>%1&#xa0;: %2 (correction&#xa0;: %3) [%4]</translation>
    </message>
    <message>
        <source>the change was refused because validating the node found %1; nothing was changed. Correct these and try again:
%2</source>
        <translation>la modification a été refusée, car la validation du nœud a trouvé %1&#xa0;; rien n&apos;a été modifié. Corrigez ces points, puis réessayez&#xa0;:
%2</translation>
    </message>
    <message>
        <source>%1 is both written and removed by the change; do one</source>
        <translation>%1 est à la fois écrit et supprimé par la modification&#xa0;; choisissez l&apos;un ou l&apos;autre</translation>
    </message>
    <message>
        <source>%1 and another file of the change are the same file, %2, through a symbolic link; change it under one name only</source>
        <translation>%1 et un autre fichier de la modification sont le même fichier, %2, par le biais d&apos;un lien symbolique&#xa0;; modifiez-le sous un seul nom</translation>
    </message>
    <message>
        <source>there is no folder %1</source>
        <translation>le dossier %1 n&apos;existe pas</translation>
    </message>
    <message>
        <source>its copy of %1 no longer matches the sha256 in its manifest, so it was damaged</source>
        <translation>sa copie de %1 ne correspond plus au sha256 de son manifeste&#xa0;: elle a donc été endommagée</translation>
    </message>
    <message>
        <source>cannot read backup %1: %2. List the node&apos;s backups (config backups) and choose one of them.</source>
        <translation>impossible de lire la sauvegarde %1&#xa0;: %2. Listez les sauvegardes du nœud (config backups) et choisissez-en une.</translation>
    </message>
    <message>
        <source>cannot roll back to backup %1: %2. Nothing was changed; choose another backup from the list.</source>
        <translation>impossible de restaurer la sauvegarde %1&#xa0;: %2. Rien n&apos;a été modifié&#xa0;; choisissez une autre sauvegarde dans la liste.</translation>
    </message>
    <message>
        <source>the name is empty</source>
        <translation>le nom est vide</translation>
    </message>
    <message>
        <source>it is an absolute path</source>
        <translation>c&apos;est un chemin absolu</translation>
    </message>
    <message>
        <source>it contains a backslash</source>
        <translation>il contient une barre oblique inverse</translation>
    </message>
    <message>
        <source>it contains a control character</source>
        <translation>il contient un caractère de contrôle</translation>
    </message>
    <message>
        <source>it has an empty part (&quot;//&quot; or a trailing &quot;/&quot;)</source>
        <translation>il comporte une partie vide («&#xa0;//&#xa0;» ou «&#xa0;/&#xa0;» final)</translation>
    </message>
    <message>
        <source>it contains &quot;.&quot; or &quot;..&quot;</source>
        <translation>il contient «&#xa0;.&#xa0;» ou «&#xa0;..&#xa0;»</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a file of repository/conf: %2. Name files by their path relative to repository/conf with &apos;/&apos; between folders, such as axis2/axis2.xml.</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas un fichier de repository/conf&#xa0;: %2. Désignez les fichiers par leur chemin relatif à repository/conf, avec «&#xa0;/&#xa0;» entre les dossiers, par exemple axis2/axis2.xml.</translation>
    </message>
    <message>
        <source>%1: %2 is a symbolic link to %3, which is not inside %4; the agent only changes files inside repository/conf. Replace the link with the file itself.</source>
        <translation>%1&#xa0;: %2 est un lien symbolique vers %3, qui n&apos;est pas dans %4&#xa0;; l&apos;agent ne modifie que les fichiers situés dans repository/conf. Remplacez le lien par le fichier lui-même.</translation>
    </message>
    <message>
        <source>nothing that exists</source>
        <translation>une cible inexistante</translation>
    </message>
    <message>
        <source>%1: %2 is not a folder, so the file cannot be placed there; choose another path or remove %2</source>
        <translation>%1&#xa0;: %2 n&apos;est pas un dossier, le fichier ne peut donc pas y être placé&#xa0;; choisissez un autre chemin ou supprimez %2</translation>
    </message>
    <message>
        <source>%1: %2 is not a regular file (it is a folder or a special file); the agent only reads and writes regular files. Remove it or choose another path.</source>
        <translation>%1&#xa0;: %2 n&apos;est pas un fichier ordinaire (c&apos;est un dossier ou un fichier spécial)&#xa0;; l&apos;agent ne lit et n&apos;écrit que des fichiers ordinaires. Supprimez-le ou choisissez un autre chemin.</translation>
    </message>
</context>
<context>
    <name>Tribune::NodeDescription</name>
    <message>
        <source>load balancer</source>
        <translation>répartiteur de charge</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>manager</translation>
    </message>
    <message>
        <source>worker</source>
        <translation>worker</translation>
    </message>
    <message>
        <source>member</source>
        <translation>membre</translation>
    </message>
    <message>
        <source>%1 (localMemberHost %2)</source>
        <translation>%1 (localMemberHost %2)</translation>
    </message>
    <message>
        <source>%1 (servers file, line %2)</source>
        <translation>%1 (fichier servers, ligne %2)</translation>
    </message>
    <message>
        <source>%1 resolves nowhere</source>
        <translation>%1 n&apos;est résolu nulle part</translation>
    </message>
    <message>
        <source>unplaced: the files name no host and no servers file places it</source>
        <translation>non placé&#xa0;: les fichiers ne nomment aucun hôte et aucun fichier servers ne le place</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rôle</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Domaine</translation>
    </message>
    <message>
        <source>Sub-domain</source>
        <translation>Sous-domaine</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(par défaut)</translation>
    </message>
    <message>
        <source>Clustering</source>
        <translation>Clustering</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>activé</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>désactivé</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Serveur</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>Produit</translation>
    </message>
    <message>
        <source>Membership</source>
        <translation>Appartenance</translation>
    </message>
    <message>
        <source>(any)</source>
        <translation>(tout hôte)</translation>
    </message>
    <message>
        <source>Port offset</source>
        <translation>Décalage de ports</translation>
    </message>
    <message>
        <source>HTTP / HTTPS</source>
        <translation>HTTP / HTTPS</translation>
    </message>
    <message>
        <source>Port mappings</source>
        <translation>Correspondances de ports</translation>
    </message>
    <message>
        <source>Well-known members</source>
        <translation>Membres connus</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(aucun)</translation>
    </message>
    <message>
        <source>Member drop time</source>
        <translation>Délai d&apos;exclusion d&apos;un membre</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Listening ports</source>
        <translation>Ports d&apos;écoute</translation>
    </message>
    <message>
        <source>Local registry</source>
        <translation>Registre local</translation>
    </message>
    <message>
        <source>Mount %1</source>
        <translation>Montage %1</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Configuration</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
</context>
<context>
    <name>Tribune::NodeDetailsPanel</name>
    <message>
        <source>No cluster open</source>
        <translation>Aucun cluster ouvert</translation>
    </message>
    <message>
        <source>Fix:</source>
        <translation>Correction&#xa0;:</translation>
    </message>
    <message>
        <source>No problems found in this node&apos;s files.</source>
        <translation>Aucun problème trouvé dans les fichiers de ce nœud.</translation>
    </message>
    <message>
        <source>%1 nodes — %2</source>
        <translation>%1 nœuds — %2</translation>
    </message>
</context>
<context>
    <name>Tribune::NodeEditDialog</name>
    <message>
        <source>Severity</source>
        <translation>Gravité</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Nœud</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Constat</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>Sauvegarde</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>Auteur</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Objet</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Fichiers</translation>
    </message>
    <message>
        <source>&amp;Roll Back to This Backup</source>
        <translation>&amp;Restaurer cette sauvegarde</translation>
    </message>
    <message>
        <source>&amp;Push</source>
        <translation>&amp;Envoyer</translation>
    </message>
    <message>
        <source>Configure %1</source>
        <translation>Configurer %1</translation>
    </message>
    <message>
        <source>Make the form&apos;s changes on these nodes of the sub-domain &amp;too:</source>
        <translation>Appliquer &amp;aussi les modifications du formulaire à ces nœuds du sous-domaine&#xa0;:</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>&amp;Fichier&#xa0;:</translation>
    </message>
    <message>
        <source>What you write here is this node&apos;s file; the form&apos;s changes apply on top of it.</source>
        <translation>Ce que vous écrivez ici devient le fichier de ce nœud&#xa0;; les modifications du formulaire s&apos;y appliquent ensuite.</translation>
    </message>
    <message>
        <source>A rollback is itself kept as a backup, so it can be undone.</source>
        <translation>Une restauration est elle-même conservée comme sauvegarde&#xa0;: elle peut donc être annulée.</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Paramètres</translation>
    </message>
    <message>
        <source>F&amp;iles</source>
        <translation>F&amp;ichiers</translation>
    </message>
    <message>
        <source>&amp;Changes</source>
        <translation>&amp;Modifications</translation>
    </message>
    <message>
        <source>&amp;Backups</source>
        <translation>&amp;Sauvegardes</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2)&#xa0;: %3</translation>
    </message>
    <message>
        <source>%1 (%2) did not take the files: %3</source>
        <translation>%1 (%2) n&apos;a pas accepté les fichiers&#xa0;: %3</translation>
    </message>
    <message>
        <source>No backups yet: the node&apos;s files were never changed through an agent.</source>
        <translation>Aucune sauvegarde pour l&apos;instant&#xa0;: les fichiers du nœud n&apos;ont jamais été modifiés via un agent.</translation>
    </message>
    <message>
        <source>The Node Has These Files</source>
        <translation>Le nœud a déjà ces fichiers</translation>
    </message>
    <message>
        <source>&amp;Roll Back to Backup %1</source>
        <translation>&amp;Restaurer la sauvegarde %1</translation>
    </message>
    <message>
        <source>%1. Reading the running cluster&apos;s files again…</source>
        <translation>%1. Nouvelle lecture des fichiers du cluster en service…</translation>
    </message>
    <message>
        <source>Cannot roll back: %1</source>
        <translation>Restauration impossible&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 — but the files read back from the cluster do not parse: %2</source>
        <translation>%1 — mais les fichiers relus depuis le cluster ne sont pas analysables&#xa0;: %2</translation>
    </message>
    <message>
        <source>The change landed, but the running cluster&apos;s files could not be read again: %1</source>
        <translation>La modification a été appliquée, mais les fichiers du cluster en service n&apos;ont pas pu être relus&#xa0;: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — member %2 · %3 / %4 · server %5</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — membre %2 · %3 / %4 · serveur %5</translation>
    </message>
    <message>
        <source>not live</source>
        <translation>hors ligne</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>(par défaut)</translation>
    </message>
    <message>
        <source>The running cluster no longer has %1.</source>
        <translation>Le cluster en service ne contient plus %1.</translation>
    </message>
    <message>
        <source>%1, line %2 (%3)</source>
        <translation>%1, ligne %2 (%3)</translation>
    </message>
    <message>
        <source>%1 is not a member of the running cluster: its files can be read and changes planned, not pushed. Connect, then Cluster › Check the Running Cluster&apos;s Files.</source>
        <translation>%1 n&apos;est pas membre du cluster en service&#xa0;: ses fichiers peuvent être lus et des modifications planifiées, mais pas envoyées. Connectez-vous, puis choisissez Cluster › Vérifier les fichiers du cluster en service.</translation>
    </message>
    <message>
        <source>Cannot push: %1</source>
        <translation>Envoi impossible&#xa0;: %1</translation>
    </message>
    <message>
        <source>Nothing changed yet.</source>
        <translation>Aucune modification pour l&apos;instant.</translation>
    </message>
    <message numerus="yes">
        <source>Push is disabled: the change would bring %n error(s) to the cluster.</source>
        <translation>
            <numerusform>Envoi désactivé&#xa0;: la modification introduirait %n erreur dans le cluster.</numerusform>
            <numerusform>Envoi désactivé&#xa0;: la modification introduirait %n erreurs dans le cluster.</numerusform>
        </translation>
    </message>
    <message>
        <source>The cluster stays clean with this change.</source>
        <translation>Le cluster reste sain avec cette modification.</translation>
    </message>
    <message>
        <source>No error; read the warnings before you push.</source>
        <translation>Aucune erreur&#xa0;; lisez les avertissements avant d&apos;envoyer.</translation>
    </message>
    <message>
        <source>%1 It cannot be pushed: %2.</source>
        <translation>%1 Elle ne peut pas être envoyée&#xa0;: %2.</translation>
    </message>
    <message>
        <source>&amp;Changes (%1)</source>
        <translation>&amp;Modifications (%1)</translation>
    </message>
    <message>
        <source>Pushing…</source>
        <translation>Envoi en cours…</translation>
    </message>
    <message>
        <source>A push is still under way; wait for it to finish.</source>
        <translation>Un envoi est encore en cours&#xa0;; attendez qu&apos;il se termine.</translation>
    </message>
    <message>
        <source>Wait: a push or rollback is under way; the dialog closes once it has ended.</source>
        <translation>Patientez&#xa0;: un envoi ou une restauration est en cours&#xa0;; la boîte de dialogue se fermera une fois l&apos;opération terminée.</translation>
    </message>
    <message>
        <source>Discard the Changes?</source>
        <translation>Abandonner les modifications&#xa0;?</translation>
    </message>
    <message>
        <source>The changes to %1 have not been pushed. Close and discard them?</source>
        <translation>Les modifications de %1 n&apos;ont pas été envoyées. Fermer et les abandonner&#xa0;?</translation>
    </message>
    <message>
        <source>Failed: %1. The Backups tab rolls a node back.</source>
        <translation>Échec&#xa0;: %1. L&apos;onglet Sauvegardes permet de restaurer un nœud.</translation>
    </message>
    <message>
        <source>%1 — the form shows the node&apos;s files now.</source>
        <translation>%1 — le formulaire affiche maintenant les fichiers du nœud.</translation>
    </message>
    <message>
        <source>%1 is not a member of the running cluster; it cannot be rolled back from here.</source>
        <translation>%1 n&apos;est pas membre du cluster en service&#xa0;; il ne peut pas être restauré d&apos;ici.</translation>
    </message>
    <message>
        <source>Roll Back %1?</source>
        <translation>Restaurer %1&#xa0;?</translation>
    </message>
    <message>
        <source>Put back the files backup %1 saved on %2, as the diff below the list shows? What they replace is kept as a new backup.</source>
        <translation>Remettre en place les fichiers que la sauvegarde %1 a enregistrés sur %2, comme le montrent les différences affichées sous la liste&#xa0;? Ce qu&apos;ils remplacent est conservé dans une nouvelle sauvegarde.</translation>
    </message>
    <message>
        <source>Rolling %1 back to backup %2…</source>
        <translation>Restauration de %1 à partir de la sauvegarde %2…</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner</name>
    <message>
        <source>database %1 on %2:%3 as %4</source>
        <translation>base de données %1 sur %2:%3 en tant que %4</translation>
    </message>
    <message>
        <source>%1 is not a MySQL or MariaDB URL; not checked</source>
        <translation>%1 n&apos;est pas une URL MySQL ou MariaDB&#xa0;; non vérifiée</translation>
    </message>
    <message>
        <source>Qt&apos;s MySQL driver (QMYSQL) is not installed: install libqt6sql6-mysql</source>
        <translation>Le pilote MySQL de Qt (QMYSQL) n&apos;est pas installé&#xa0;: installez libqt6sql6-mysql</translation>
    </message>
    <message>
        <source>%1: the server refuses the user name or password; correct them in master-datasources.xml, or grant the user</source>
        <translation>%1&#xa0;: le serveur refuse le nom d&apos;utilisateur ou le mot de passe&#xa0;; corrigez-les dans master-datasources.xml, ou accordez les droits à l&apos;utilisateur</translation>
    </message>
    <message>
        <source>%1: the user may not use this database, or it does not exist; create it and grant the user (db check --create)</source>
        <translation>%1&#xa0;: l&apos;utilisateur n&apos;a pas le droit d&apos;utiliser cette base de données, ou elle n&apos;existe pas&#xa0;; créez-la et accordez les droits à l&apos;utilisateur (db check --create)</translation>
    </message>
    <message>
        <source>%1: there is no such database; create it (db check --create) and run dbscripts/mysql.sql</source>
        <translation>%1&#xa0;: cette base de données n&apos;existe pas&#xa0;; créez-la (db check --create) et exécutez dbscripts/mysql.sql</translation>
    </message>
    <message>
        <source>%1: cannot connect: %2</source>
        <translation>%1&#xa0;: connexion impossible&#xa0;: %2</translation>
    </message>
    <message>
        <source>registry tables</source>
        <translation>tables du registre</translation>
    </message>
    <message>
        <source>user store tables</source>
        <translation>tables du référentiel d&apos;utilisateurs</translation>
    </message>
    <message>
        <source>%1: ready (%2)</source>
        <translation>%1&#xa0;: prête (%2)</translation>
    </message>
    <message>
        <source>%1: the database has no registry (REG_RESOURCE) or user store (UM_USER) tables; run dbscripts/mysql.sql in it, or start the first node with -Dsetup</source>
        <translation>%1&#xa0;: la base de données n&apos;a ni tables de registre (REG_RESOURCE) ni tables de référentiel d&apos;utilisateurs (UM_USER)&#xa0;; exécutez-y dbscripts/mysql.sql, ou démarrez le premier nœud avec -Dsetup</translation>
    </message>
    <message>
        <source>%1: not a MySQL or MariaDB URL naming a database</source>
        <translation>%1&#xa0;: pas une URL MySQL ou MariaDB désignant une base de données</translation>
    </message>
    <message>
        <source>%1:%2 as %3: %4</source>
        <translation>%1:%2 en tant que %3&#xa0;: %4</translation>
    </message>
    <message>
        <source>creating database %1: %2</source>
        <translation>création de la base de données %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>granting %1 on %2: %3</source>
        <translation>attribution des droits à %1 sur %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>no node &quot;%1&quot; to take as a template; the cluster&apos;s nodes are: %2</source>
        <translation>aucun nœud «&#xa0;%1&#xa0;» à prendre comme modèle&#xa0;; les nœuds du cluster sont&#xa0;: %2</translation>
    </message>
    <message>
        <source>host &quot;%1&quot; resolves nowhere; name it in the hosts file, or give its address</source>
        <translation>l&apos;hôte «&#xa0;%1&#xa0;» n&apos;est résolu nulle part&#xa0;; déclarez-le dans le fichier hosts ou indiquez son adresse</translation>
    </message>
    <message>
        <source>a node named &quot;%1&quot; exists already; give the new one another name</source>
        <translation>un nœud nommé «&#xa0;%1&#xa0;» existe déjà&#xa0;; donnez un autre nom au nouveau</translation>
    </message>
    <message>
        <source>no port offset below %1 is free on server %2</source>
        <translation>aucun décalage de ports inférieur à %1 n&apos;est libre sur le serveur %2</translation>
    </message>
    <message>
        <source>no node &quot;%1&quot;; the cluster&apos;s nodes are: %2</source>
        <translation>aucun nœud «&#xa0;%1&#xa0;»&#xa0;; les nœuds du cluster sont&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: %2 is not a configuration file Tribune knows</source>
        <translation>%1&#xa0;: %2 n&apos;est pas un fichier de configuration connu de Tribune</translation>
    </message>
    <message>
        <source>%1 is in the plan but no live member is that node; start its agent, or take it out of the plan</source>
        <translation>%1 figure dans le plan, mais aucun membre actif n&apos;est ce nœud&#xa0;; démarrez son agent ou retirez-le du plan</translation>
    </message>
    <message>
        <source>the plan makes %1 new nodes; apply one at a time, each to its own provisioning agent</source>
        <translation>le plan crée %1 nouveaux nœuds&#xa0;; appliquez-les un par un, chacun à son propre agent de provisionnement</translation>
    </message>
    <message>
        <source>the plan makes a new node, which has no agent yet: start `tribune-agent --provision --carbon-home DIR --key-file K --listen HOST:PORT` on its server and give that HOST:PORT (--to)</source>
        <translation>le plan crée un nouveau nœud, qui n&apos;a pas encore d&apos;agent&#xa0;: lancez `tribune-agent --provision --carbon-home DIR --key-file K --listen HOST:PORT` sur son serveur et indiquez ce HOST:PORT (--to)</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1&#xa0;: écriture impossible&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: cannot write the archive: %2</source>
        <translation>%1&#xa0;: impossible d&apos;écrire l&apos;archive&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: cannot read the archive: %2</source>
        <translation>%1&#xa0;: impossible de lire l&apos;archive&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: more than %2 entries; not a plan</source>
        <translation>%1&#xa0;: plus de %2 entrées&#xa0;; ce n&apos;est pas un plan</translation>
    </message>
    <message>
        <source>%1: more than %2 MiB of files; not a plan</source>
        <translation>%1&#xa0;: plus de %2 MiB de fichiers&#xa0;; ce n&apos;est pas un plan</translation>
    </message>
    <message>
        <source>%1: %2: cannot read: %3</source>
        <translation>%1&#xa0;: %2&#xa0;: lecture impossible&#xa0;: %3</translation>
    </message>
    <message>
        <source>%1: a damaged archive: %2</source>
        <translation>%1&#xa0;: archive endommagée&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: everything is inside the folder %2/; archive what the plan folder holds (tar -czf PLAN.tar.gz -C %2 .), or let node plan --out write the archive</source>
        <translation>%1&#xa0;: tout se trouve dans le dossier %2/&#xa0;; archivez le contenu du dossier du plan (tar -czf PLAN.tar.gz -C %2 .), ou laissez node plan --out écrire l&apos;archive</translation>
    </message>
    <message>
        <source>plan.json: larger than %1 KiB; not a plan</source>
        <translation>plan.json&#xa0;: plus de %1 KiB&#xa0;; ce n&apos;est pas un plan</translation>
    </message>
    <message>
        <source>plan.json: not a plan: %1</source>
        <translation>plan.json&#xa0;: ce n&apos;est pas un plan&#xa0;: %1</translation>
    </message>
    <message>
        <source>more than %1 nodes; split the plan</source>
        <translation>plus de %1 nœuds&#xa0;; divisez le plan</translation>
    </message>
    <message>
        <source>%1: more than %2 files; a node&apos;s configuration has a handful</source>
        <translation>%1&#xa0;: plus de %2 fichiers&#xa0;; la configuration d&apos;un nœud n&apos;en compte que quelques-uns</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1&#xa0;: lecture impossible&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: no plan.json; a plan is what `tribunectl node plan --out` writes</source>
        <translation>%1&#xa0;: pas de plan.json&#xa0;; un plan est ce qu&apos;écrit `tribunectl node plan --out`</translation>
    </message>
    <message>
        <source>%1: the plan changes no node (no NODE/repository/conf below it)</source>
        <translation>%1&#xa0;: le plan ne modifie aucun nœud (aucun NODE/repository/conf en dessous)</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a valid value</source>
        <translation>%1&#xa0;: «&#xa0;%2&#xa0;» n&apos;est pas une valeur valide</translation>
    </message>
    <message>
        <source>%1: the node has no such file</source>
        <translation>%1&#xa0;: le nœud n&apos;a pas ce fichier</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not FILE:KEY=VALUE, e.g. axis2.xml:localMemberPort=4010</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas de la forme FILE:KEY=VALUE, par exemple axis2.xml:localMemberPort=4010</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a file typed edits know; they are: %2</source>
        <translation>«&#xa0;%1&#xa0;» n&apos;est pas un fichier connu des modifications typées&#xa0;; les fichiers connus sont&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 has no key &quot;%2&quot; for typed edits; the keys are: %3</source>
        <translation>%1 n&apos;a pas de clé «&#xa0;%2&#xa0;» pour les modifications typées&#xa0;; les clés sont&#xa0;: %3</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::AddNodeFlow</name>
    <message>
        <source>%1: port offset %2, membership port %3</source>
        <translation>%1&#xa0;: décalage de ports %2, port d&apos;appartenance %3</translation>
    </message>
    <message>
        <source>no load balancer of the cluster serves the domain of %1; its loadbalancer.conf must be one of the cluster&apos;s nodes to be changed</source>
        <translation>aucun répartiteur de charge du cluster ne sert le domaine de %1&#xa0;; pour pouvoir être modifié, son loadbalancer.conf doit appartenir à l&apos;un des nœuds du cluster</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::DatasourceChecker</name>
    <message>
        <source>database created and granted to %1</source>
        <translation>base de données créée, droits accordés à %1</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::JoinWatcher</name>
    <message>
        <source>files written</source>
        <translation>fichiers écrits</translation>
    </message>
    <message>
        <source>joined as the node</source>
        <translation>cluster rejoint en tant que ce nœud</translation>
    </message>
    <message>
        <source>seen by every member</source>
        <translation>vu par tous les membres</translation>
    </message>
    <message>
        <source>server added in HAProxy</source>
        <translation>serveur ajouté dans HAProxy</translation>
    </message>
    <message>
        <source>first health check UP</source>
        <translation>premier contrôle de santé UP</translation>
    </message>
    <message>
        <source>first request served through HAProxy</source>
        <translation>première requête servie via HAProxy</translation>
    </message>
    <message>
        <source>timed out after %1 s waiting for: %2</source>
        <translation>délai dépassé après %1 s en attente de&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 refused the key: %2</source>
        <translation>%1 a refusé la clé&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 is a member already; its identity did not change</source>
        <translation>%1 est déjà membre&#xa0;; son identité n&apos;a pas changé</translation>
    </message>
    <message>
        <source>no other member may see it</source>
        <translation>aucun autre membre pour le voir</translation>
    </message>
    <message numerus="yes">
        <source>by %n member(s)</source>
        <translation>
            <numerusform>par %n membre</numerusform>
            <numerusform>par %n membres</numerusform>
        </translation>
    </message>
    <message>
        <source>no load balancer in the view serves %1</source>
        <translation>aucun répartiteur de charge de la vue ne sert %1</translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent cannot be asked for its HAProxy socket (%1); give --lb-socket</source>
        <translation>impossible de demander son socket HAProxy à l&apos;agent du répartiteur de charge (%1)&#xa0;; indiquez --lb-socket</translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent names no HAProxy admin socket this machine can reach; give --lb-socket</source>
        <translation>l&apos;agent du répartiteur de charge n&apos;indique aucun socket d&apos;administration HAProxy accessible depuis cette machine&#xa0;; indiquez --lb-socket</translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent did not tell its HAProxy socket (%1); give --lb-socket</source>
        <translation>l&apos;agent du répartiteur de charge n&apos;a pas indiqué son socket HAProxy (%1)&#xa0;; indiquez --lb-socket</translation>
    </message>
    <message>
        <source>--lb-socket: %1</source>
        <translation>--lb-socket&#xa0;: %1</translation>
    </message>
    <message>
        <source>backend %1</source>
        <translation>backend %1</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) so far</source>
        <translation>
            <numerusform>%n requête jusqu&apos;ici</numerusform>
            <numerusform>%n requêtes jusqu&apos;ici</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is in the cluster and served through HAProxy</source>
        <translation>%1 est dans le cluster et servi via HAProxy</translation>
    </message>
    <message>
        <source>%1 is in the cluster; HAProxy not watched: %2</source>
        <translation>%1 est dans le cluster&#xa0;; HAProxy non surveillé&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::NodeEditFlow</name>
    <message>
        <source>the running cluster has no node &quot;%1&quot;; read its files again</source>
        <translation>le cluster en service n&apos;a pas de nœud «&#xa0;%1&#xa0;»&#xa0;; relisez ses fichiers</translation>
    </message>
    <message>
        <source>%1: %2 is not a configuration file Tribune knows</source>
        <translation>%1&#xa0;: %2 n&apos;est pas un fichier de configuration connu de Tribune</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>not every node of the change is a member of the running cluster</source>
        <translation>les nœuds de la modification ne sont pas tous membres du cluster en service</translation>
    </message>
    <message>
        <source>these are a folder&apos;s files, not the running cluster&apos;s: connect, then read the running cluster&apos;s files</source>
        <translation>ce sont les fichiers d&apos;un dossier, pas ceux du cluster en service&#xa0;: connectez-vous, puis lisez les fichiers du cluster en service</translation>
    </message>
    <message>
        <source>%1 is not a member of the running cluster: %2</source>
        <translation>%1 n&apos;est pas membre du cluster en service&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2)&#xa0;: %3</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::NodeSettings</name>
    <message>
        <source>Membership</source>
        <translation>Appartenance</translation>
    </message>
    <message>
        <source>Clustering enabled</source>
        <translation>Clustering activé</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Domaine</translation>
    </message>
    <message>
        <source>Sub-domain</source>
        <translation>Sous-domaine</translation>
    </message>
    <message>
        <source>Membership host</source>
        <translation>Hôte d&apos;appartenance</translation>
    </message>
    <message>
        <source>Membership port</source>
        <translation>Port d&apos;appartenance</translation>
    </message>
    <message>
        <source>Well-known members</source>
        <translation>Membres connus</translation>
    </message>
    <message>
        <source>Ports</source>
        <translation>Ports</translation>
    </message>
    <message>
        <source>Port offset</source>
        <translation>Décalage de ports</translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation>Hôtes</translation>
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
        <translation>Port proxy du connecteur %1 sur %2</translation>
    </message>
    <message>
        <source>Registry %1 (mounted at %2)</source>
        <translation>Registre %1 (monté sur %2)</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>aucun chemin</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>Lecture seule</translation>
    </message>
    <message>
        <source>Cache id</source>
        <translation>Identifiant de cache</translation>
    </message>
    <message>
        <source>Database configuration</source>
        <translation>Configuration de base de données</translation>
    </message>
    <message>
        <source>User store</source>
        <translation>Référentiel d&apos;utilisateurs</translation>
    </message>
    <message>
        <source>Datasource (JNDI name)</source>
        <translation>Source de données (nom JNDI)</translation>
    </message>
    <message>
        <source>Datasource %1</source>
        <translation>Source de données %1</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Utilisateur</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::PlanApplier</name>
    <message>
        <source>the plan changes nothing</source>
        <translation>le plan ne modifie rien</translation>
    </message>
    <message>
        <source>%1 (%2) did not take the files: %3</source>
        <translation>%1 (%2) n&apos;a pas accepté les fichiers&#xa0;: %3</translation>
    </message>
    <message>
        <source>the nodes before it have their new files; rolling back takes each back (`tribunectl config rollback`)</source>
        <translation>les nœuds précédents ont déjà leurs nouveaux fichiers&#xa0;; une restauration remet chacun dans son état antérieur (`tribunectl config rollback`)</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2)&#xa0;: %3</translation>
    </message>
    <message>
        <source>every node of the plan has its files; nothing to follow into the cluster</source>
        <translation>chaque nœud du plan a ses fichiers&#xa0;; rien à suivre dans le cluster</translation>
    </message>
</context>
<context>
    <name>Tribune::PreferencesDialog</name>
    <message>
        <source>C&amp;heck</source>
        <translation>&amp;Vérifier</translation>
    </message>
    <message>
        <source>Desktop &amp;notifications of failures</source>
        <translation>&amp;Notifications de bureau en cas de défaillance</translation>
    </message>
    <message>
        <source>Take a &amp;snapshot when a member fails</source>
        <translation>Prendre un &amp;instantané en cas de défaillance d&apos;un membre</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Préférences</translation>
    </message>
    <message>
        <source>default: SQLite in the data folder</source>
        <translation>par défaut&#xa0;: SQLite dans le dossier de données</translation>
    </message>
    <message>
        <source>Where to keep history: empty for a SQLite file in the data folder, sqlite:///path/history.sqlite, mysql://user:password@host:port/database, postgresql://user:password@host:port/database for a history the team shares, or none to keep no history.</source>
        <translation>Où conserver l&apos;historique&#xa0;: vide pour un fichier SQLite dans le dossier de données, sqlite:///path/history.sqlite, mysql://user:password@host:port/database, postgresql://user:password@host:port/database pour un historique partagé par l&apos;équipe, ou none pour ne conserver aucun historique.</translation>
    </message>
    <message>
        <source>Open the database as the console would, and say where it is or what failed.</source>
        <translation>Ouvrir la base de données comme le ferait la console, et indiquer où elle se trouve ou ce qui a échoué.</translation>
    </message>
    <message>
        <source>A connection&apos;s own history URL, when it names one, wins over this one. A password in the URL is kept in %1, never in the settings file.</source>
        <translation>L&apos;URL d&apos;historique propre à une connexion, si elle en indique une, l&apos;emporte sur celle-ci. Un mot de passe figurant dans l&apos;URL est conservé dans %1, jamais dans le fichier de paramètres.</translation>
    </message>
    <message>
        <source>A member&apos;s failure always shows in the status bar; this also shows it as a desktop notification where the desktop has a tray.</source>
        <translation>La défaillance d&apos;un membre s&apos;affiche toujours dans la barre d&apos;état&#xa0;; cette option l&apos;affiche aussi sous forme de notification de bureau si le bureau dispose d&apos;une zone de notification.</translation>
    </message>
    <message>
        <source>&amp;History database:</source>
        <translation>Base d&apos;&amp;historique&#xa0;:</translation>
    </message>
    <message>
        <source>A snapshot of the cluster and the minutes before, taken by itself when a member fails; the event log says where it is.</source>
        <translation>Un instantané du cluster et des minutes précédentes, pris automatiquement en cas de défaillance d&apos;un membre&#xa0;; le journal des événements indique où il se trouve.</translation>
    </message>
    <message>
        <source> snapshots</source>
        <translation> instantanés</translation>
    </message>
    <message>
        <source>&amp;Keep the newest:</source>
        <translation>&amp;Conserver les plus récents&#xa0;:</translation>
    </message>
    <message>
        <source>Default &amp;chart window:</source>
        <translation>&amp;Fenêtre des graphiques par défaut&#xa0;:</translation>
    </message>
    <message>
        <source>No history will be kept.</source>
        <translation>Aucun historique ne sera conservé.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <source>Opened %1.</source>
        <translation>Ouverture réussie&#xa0;: %1.</translation>
    </message>
    <message>
        <source>System default (%1)</source>
        <translation>Langue du système (%1)</translation>
    </message>
    <message>
        <source>The console speaks this language from its next start.</source>
        <translation>La console utilise cette langue à partir de son prochain démarrage.</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Langue&#xa0;:</translation>
    </message>
</context>
<context>
    <name>Tribune::Protocol::AgentClient</name>
    <message>
        <source>The member &quot;%1&quot; has no host: write it as HOST:PORT, e.g. %2.</source>
        <translation>Le membre «&#xa0;%1&#xa0;» n&apos;a pas d&apos;hôte&#xa0;: écrivez-le sous la forme HOST:PORT, par exemple %2.</translation>
    </message>
    <message>
        <source>The member &quot;%1&quot; has no port: write it as HOST:PORT, e.g. %2.</source>
        <translation>Le membre «&#xa0;%1&#xa0;» n&apos;a pas de port&#xa0;: écrivez-le sous la forme HOST:PORT, par exemple %2.</translation>
    </message>
    <message>
        <source>The port of &quot;%1&quot; is not a number: write the member as HOST:PORT, e.g. %2.</source>
        <translation>Le port de «&#xa0;%1&#xa0;» n&apos;est pas un nombre&#xa0;: écrivez le membre sous la forme HOST:PORT, par exemple %2.</translation>
    </message>
    <message>
        <source>The port of &quot;%1&quot; is out of range: use a port from 1 to 65535, e.g. %2.</source>
        <translation>Le port de «&#xa0;%1&#xa0;» est hors limites&#xa0;: utilisez un port de 1 à 65535, par exemple %2.</translation>
    </message>
    <message>
        <source>not connected to %1</source>
        <translation>non connecté à %1</translation>
    </message>
    <message>
        <source>%1 did not answer within %2 s</source>
        <translation>%1 n&apos;a pas répondu dans les %2 s</translation>
    </message>
</context>
<context>
    <name>Tribune::Protocol::Connection</name>
    <message>
        <source>the connection or its handshake timed out</source>
        <translation>délai dépassé pour la connexion ou sa négociation</translation>
    </message>
    <message>
        <source>the peer closed the connection</source>
        <translation>le correspondant a fermé la connexion</translation>
    </message>
    <message>
        <source>TLS: %1</source>
        <translation>TLS&#xa0;: %1</translation>
    </message>
    <message>
        <source>too many connections are proving their key at once; try again in a few seconds</source>
        <translation>trop de connexions prouvent leur clé en même temps&#xa0;; réessayez dans quelques secondes</translation>
    </message>
    <message>
        <source>the answer is larger than the %1-byte frame limit</source>
        <translation>la réponse dépasse la limite de trame de %1 octets</translation>
    </message>
    <message>
        <source>the peer does not read what it is sent</source>
        <translation>le correspondant ne lit pas ce qui lui est envoyé</translation>
    </message>
    <message>
        <source>a frame of %1 bytes exceeds the limit of %2</source>
        <translation>une trame de %1 octets dépasse la limite de %2</translation>
    </message>
    <message>
        <source>a frame of %1 bytes before the handshake is done exceeds its limit of %2</source>
        <translation>une trame de %1 octets reçue avant la fin de la négociation dépasse sa limite de %2</translation>
    </message>
    <message>
        <source>a frame is not a JSON object: %1</source>
        <translation>une trame n&apos;est pas un objet JSON&#xa0;: %1</translation>
    </message>
    <message>
        <source>the other member speaks membership protocol %1 and this one %2: members of different tribune-agent versions cannot form one cluster; upgrade every node&apos;s tribune-agent together (stop all, upgrade, start: docs/PROTOCOL.md, &quot;Upgrading&quot;)</source>
        <translation>l&apos;autre membre parle le protocole d&apos;appartenance %1 et celui-ci le %2&#xa0;: des membres de versions différentes de tribune-agent ne peuvent pas former un même cluster&#xa0;; mettez à jour le tribune-agent de tous les nœuds en même temps (tout arrêter, mettre à jour, démarrer&#xa0;: docs/PROTOCOL.md, «&#xa0;Upgrading&#xa0;»)</translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation>refusé&#xa0;: %1</translation>
    </message>
    <message>
        <source>protocol version %1 is not supported; this side speaks %2</source>
        <translation>la version de protocole %1 n&apos;est pas prise en charge&#xa0;; ce côté-ci parle la version %2</translation>
    </message>
    <message>
        <source>no %1 key in the key file</source>
        <translation>aucune clé %1 dans le fichier de clé</translation>
    </message>
    <message>
        <source>authentication failed</source>
        <translation>échec de l&apos;authentification</translation>
    </message>
    <message>
        <source>the server could not prove it holds the cluster key</source>
        <translation>le serveur n&apos;a pas pu prouver qu&apos;il détient la clé du cluster</translation>
    </message>
    <message>
        <source>unexpected &quot;%1&quot; during the handshake</source>
        <translation>«&#xa0;%1&#xa0;» inattendu pendant la négociation</translation>
    </message>
</context>
<context>
    <name>Tribune::Protocol::Datagram</name>
    <message numerus="yes">
        <source>a datagram of %n byte(s) is not one of the protocol&apos;s</source>
        <translation>
            <numerusform>un datagramme de %n octet n&apos;appartient pas au protocole</numerusform>
            <numerusform>un datagramme de %n octets n&apos;appartient pas au protocole</numerusform>
        </translation>
    </message>
    <message>
        <source>not a membership datagram of protocol version 2</source>
        <translation>ce n&apos;est pas un datagramme d&apos;appartenance de la version 2 du protocole</translation>
    </message>
    <message>
        <source>the datagram&apos;s proof does not match the member key</source>
        <translation>la preuve du datagramme ne correspond pas à la clé des membres</translation>
    </message>
    <message>
        <source>the datagram holds no JSON object</source>
        <translation>le datagramme ne contient aucun objet JSON</translation>
    </message>
    <message>
        <source>the datagram is stamped %1 ms away from this host&apos;s clock</source>
        <translation>l&apos;horodatage du datagramme s&apos;écarte de %1 ms de l&apos;horloge de cet hôte</translation>
    </message>
</context>
<context>
    <name>Tribune::Report</name>
    <message>
        <source>fix: %1</source>
        <translation>correction&#xa0;: %1</translation>
    </message>
    <message>
        <source>%1 checked: %2
</source>
        <translation>Vérification de %1&#xa0;: %2
</translation>
    </message>
    <message>
        <source>1 node</source>
        <translation>1 nœud</translation>
    </message>
    <message>
        <source>%1 nodes</source>
        <translation>%1 nœuds</translation>
    </message>
</context>
<context>
    <name>Tribune::SecretStore</name>
    <message>
        <source>the keychain did not answer within %1 s</source>
        <translation>le trousseau n&apos;a pas répondu dans les %1 s</translation>
    </message>
    <message>
        <source>cannot create the folder of %1</source>
        <translation>impossible de créer le dossier de %1</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>impossible d&apos;écrire %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>the platform keychain</source>
        <translation>le trousseau du système</translation>
    </message>
    <message>
        <source>%1 (readable by you only)</source>
        <translation>%1 (lisible par vous seul)</translation>
    </message>
    <message>
        <source>the keychain refused to keep the password: %1</source>
        <translation>le trousseau a refusé de conserver le mot de passe&#xa0;: %1</translation>
    </message>
    <message>
        <source>the keychain did not give the password: %1</source>
        <translation>le trousseau n&apos;a pas fourni le mot de passe&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>Tribune::SessionKeeper</name>
    <message>
        <source>the load balancer %1</source>
        <translation>le répartiteur de charge %1</translation>
    </message>
    <message>
        <source>the membership port %1</source>
        <translation>le port d&apos;appartenance %1</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot</name>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: cannot write beside it: %2</source>
        <translation>%1&#xa0;: impossible d&apos;écrire à côté&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: %2; nothing was written</source>
        <translation>%1&#xa0;: %2&#xa0;; rien n&apos;a été écrit</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>annulé</translation>
    </message>
    <message>
        <source>cannot rename %1 into place: %2</source>
        <translation>impossible de renommer %1 vers son emplacement définitif&#xa0;: %2</translation>
    </message>
    <message>
        <source>no such file</source>
        <translation>fichier inexistant</translation>
    </message>
    <message>
        <source>%1 bytes, more than the %2 a snapshot may have</source>
        <translation>%1 octets, plus que les %2 autorisés pour un instantané</translation>
    </message>
    <message>
        <source>not a Tribune snapshot (%1)</source>
        <translation>ce n&apos;est pas un instantané Tribune (%1)</translation>
    </message>
    <message>
        <source>not a Tribune snapshot</source>
        <translation>ce n&apos;est pas un instantané Tribune</translation>
    </message>
    <message>
        <source>format %1, which this Tribune (format %2) cannot read; open it with a newer one</source>
        <translation>format %1, illisible par cette version de Tribune (format %2)&#xa0;; ouvrez-le avec une version plus récente</translation>
    </message>
    <message>
        <source>%1 members, more than the %2 a snapshot may have</source>
        <translation>%1 membres, plus que les %2 autorisés pour un instantané</translation>
    </message>
    <message>
        <source>%1 events and samples, more than the %2 a snapshot may have</source>
        <translation>%1 événements et échantillons, plus que les %2 autorisés pour un instantané</translation>
    </message>
    <message>
        <source>the samples of %1 are damaged (%2 bytes for %3 samples)</source>
        <translation>les échantillons de %1 sont endommagés (%2 octets pour %3 échantillons)</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::FlightRecorder</name>
    <message>
        <source>cannot create %1</source>
        <translation>impossible de créer %1</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::Report</name>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1&#xa0;: écriture impossible&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: cannot create the folder</source>
        <translation>%1&#xa0;: impossible de créer le dossier</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotCollector</name>
    <message>
        <source>asking %1 for the members</source>
        <translation>demande des membres à %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1&#xa0;: %2</translation>
    </message>
    <message numerus="yes">
        <source>asking %n member(s) for their health</source>
        <translation>
            <numerusform>demande de l&apos;état de santé à %n membre</numerusform>
            <numerusform>demande de l&apos;état de santé à %n membres</numerusform>
        </translation>
    </message>
    <message>
        <source>health of %1: %2</source>
        <translation>état de santé de %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>reading every live member&apos;s configuration files</source>
        <translation>lecture des fichiers de configuration de chaque membre actif</translation>
    </message>
    <message>
        <source>configuration files: cannot create a temporary folder: %1</source>
        <translation>fichiers de configuration&#xa0;: impossible de créer un dossier temporaire&#xa0;: %1</translation>
    </message>
    <message>
        <source>configuration files: %1</source>
        <translation>fichiers de configuration&#xa0;: %1</translation>
    </message>
    <message>
        <source>HAProxy: no admin socket was given (--lb-socket)</source>
        <translation>HAProxy&#xa0;: aucun socket d&apos;administration n&apos;a été indiqué (--lb-socket)</translation>
    </message>
    <message>
        <source>HAProxy: %1</source>
        <translation>HAProxy&#xa0;: %1</translation>
    </message>
    <message>
        <source>asking HAProxy at %1</source>
        <translation>interrogation de HAProxy sur %1</translation>
    </message>
    <message>
        <source>HAProxy %1: %2</source>
        <translation>HAProxy %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>events and samples: no history was asked for</source>
        <translation>événements et échantillons&#xa0;: aucun historique n&apos;a été demandé</translation>
    </message>
    <message>
        <source>reading the history&apos;s events and samples</source>
        <translation>lecture des événements et échantillons de l&apos;historique</translation>
    </message>
    <message>
        <source>events and samples: %1</source>
        <translation>événements et échantillons&#xa0;: %1</translation>
    </message>
    <message>
        <source>events and samples: %1 holds none for this window</source>
        <translation>événements et échantillons&#xa0;: %1 n&apos;en contient aucun pour cette fenêtre</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotDiff</name>
    <message>
        <source>not served</source>
        <translation>non servi</translation>
    </message>
    <message>
        <source>gone (was %1)</source>
        <translation>disparu (auparavant %1)</translation>
    </message>
    <message>
        <source>state %1 → %2</source>
        <translation>état %1 → %2</translation>
    </message>
    <message>
        <source>HAProxy %1 → %2</source>
        <translation>HAProxy %1 → %2</translation>
    </message>
    <message>
        <source>weight %1 → %2</source>
        <translation>poids %1 → %2</translation>
    </message>
    <message>
        <source>incarnation %1 → %2 (it restarted or rejoined)</source>
        <translation>incarnation %1 → %2 (il a redémarré ou rejoint à nouveau le cluster)</translation>
    </message>
    <message>
        <source>new (%1)</source>
        <translation>nouveau (%1)</translation>
    </message>
    <message>
        <source>traffic over the last minute of each (%1 → %2):</source>
        <translation>trafic sur la dernière minute de chacun (%1 → %2)&#xa0;:</translation>
    </message>
    <message>
        <source>not sampled</source>
        <translation>non échantillonné</translation>
    </message>
    <message>
        <source>%1 req/s, %2 5xx/s, %3 ms</source>
        <translation>%1 req/s, %2 5xx/s, %3 ms</translation>
    </message>
    <message>
        <source>new finding: %1 %2: %3</source>
        <translation>nouveau constat&#xa0;: %1 %2&#xa0;: %3</translation>
    </message>
    <message>
        <source>resolved: %1 %2: %3</source>
        <translation>résolu&#xa0;: %1 %2&#xa0;: %3</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotExport</name>
    <message>
        <source>%1; nothing was written</source>
        <translation>%1&#xa0;; rien n&apos;a été écrit</translation>
    </message>
    <message>
        <source>Cancelled; nothing was written.</source>
        <translation>Annulé&#xa0;; rien n&apos;a été écrit.</translation>
    </message>
    <message>
        <source>writing %1</source>
        <translation>écriture de %1</translation>
    </message>
    <message>
        <source>%1
Not in it: %2</source>
        <translation>%1
Non inclus&#xa0;: %2</translation>
    </message>
    <message>
        <source>%1: %2, %3, %4</source>
        <translation>%1 : %2, %3, %4</translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>%n membre</numerusform>
            <numerusform>%n membres</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s)</source>
        <translation>
            <numerusform>%n constat</numerusform>
            <numerusform>%n constats</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>%n événement</numerusform>
            <numerusform>%n événements</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotReplay</name>
    <message>
        <source>%1 at %2 (holds passwords)</source>
        <translation>%1 le %2 (contient des mots de passe)</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%1 le %2</translation>
    </message>
    <message>
        <source>not captured</source>
        <translation>non capturé</translation>
    </message>
    <message>
        <source>the snapshot holds no configuration files</source>
        <translation>l&apos;instantané ne contient aucun fichier de configuration</translation>
    </message>
    <message>
        <source>cannot create a temporary folder: %1; free space there (or set TMPDIR) and try again</source>
        <translation>impossible de créer un dossier temporaire&#xa0;: %1&#xa0;; libérez de l&apos;espace à cet emplacement (ou définissez TMPDIR), puis réessayez</translation>
    </message>
    <message>
        <source>snapshot of %1</source>
        <translation>capture de %1</translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation>impossible de créer %1</translation>
    </message>
    <message>
        <source>refused node name &quot;%1&quot;</source>
        <translation>nom de nœud refusé&#xa0;: «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>%1: refused file name &quot;%2&quot;</source>
        <translation>%1&#xa0;: nom de fichier refusé&#xa0;: «&#xa0;%2&#xa0;»</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1&#xa0;: écriture impossible&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::SnapshotCompareDialog</name>
    <message>
        <source>Compare Snapshots</source>
        <translation>Comparer des instantanés</translation>
    </message>
    <message numerus="yes">
        <source>From &lt;b&gt;%1&lt;/b&gt; to &lt;b&gt;%2&lt;/b&gt;: %n member(s) changed, </source>
        <translation>
            <numerusform>De &lt;b&gt;%1&lt;/b&gt; à &lt;b&gt;%2&lt;/b&gt;&#xa0;: %n membre modifié, </numerusform>
            <numerusform>De &lt;b&gt;%1&lt;/b&gt; à &lt;b&gt;%2&lt;/b&gt;&#xa0;: %n membres modifiés, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) differ, </source>
        <translation>
            <numerusform>%n fichier diffère, </numerusform>
            <numerusform>%n fichiers diffèrent, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new finding(s), </source>
        <translation>
            <numerusform>%n nouveau constat, </numerusform>
            <numerusform>%n nouveaux constats, </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n resolved.</source>
        <translation>
            <numerusform>%n résolu.</numerusform>
            <numerusform>%n résolus.</numerusform>
        </translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Changement</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Membre</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Nœud</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Détails</translation>
    </message>
    <message>
        <source>added</source>
        <translation>ajouté</translation>
    </message>
    <message>
        <source>gone</source>
        <translation>disparu</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>modifié</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>Domaine</translation>
    </message>
    <message>
        <source>Requests/s before</source>
        <translation>Requêtes/s avant</translation>
    </message>
    <message>
        <source>after</source>
        <translation>après</translation>
    </message>
    <message>
        <source>5xx/s before</source>
        <translation>5xx/s avant</translation>
    </message>
    <message>
        <source>Response ms before</source>
        <translation>Réponse ms avant</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>No samples of this domain in the minute before the snapshot</source>
        <translation>Aucun échantillon de ce domaine dans la minute précédant l&apos;instantané</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>Gravité</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problème</translation>
    </message>
    <message>
        <source>new</source>
        <translation>nouveau</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>résolu</translation>
    </message>
    <message>
        <source>Members (%1)</source>
        <translation>Membres (%1)</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>Trafic</translation>
    </message>
    <message>
        <source>Files (%1)</source>
        <translation>Fichiers (%1)</translation>
    </message>
    <message>
        <source>Findings (%1)</source>
        <translation>Constats (%1)</translation>
    </message>
    <message>
        <source>Cannot Compare</source>
        <translation>Impossible de comparer</translation>
    </message>
</context>
<context>
    <name>Tribune::SnapshotPdfReport</name>
    <message>
        <source>per second</source>
        <translation>par seconde</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>Snapshot of %1</source>
        <translation>Instantané de %1</translation>
    </message>
    <message>
        <source>This snapshot holds passwords: it was taken with secrets included.</source>
        <translation>Cet instantané contient des mots de passe&#xa0;: il a été pris avec les secrets inclus.</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>Pris le</translation>
    </message>
    <message>
        <source>By</source>
        <translation>Par</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Fenêtre</translation>
    </message>
    <message>
        <source>events from %1, samples from %2</source>
        <translation>événements depuis %1, échantillons depuis %2</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Membres</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Constats</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>Console</translation>
    </message>
    <message>
        <source>Not captured</source>
        <translation>Non capturé</translation>
    </message>
    <message>
        <source>Domain / sub-domain</source>
        <translation>Domaine / sous-domaine</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Nœud</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>Membre</translation>
    </message>
    <message>
        <source>State</source>
        <translation>État</translation>
    </message>
    <message>
        <source>HAProxy</source>
        <translation>HAProxy</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>Poids</translation>
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
        <translation>Aucun problème trouvé dans les fichiers du cluster.</translation>
    </message>
    <message>
        <source>Traffic by domain</source>
        <translation>Trafic par domaine</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Événements</translation>
    </message>
    <message>
        <source>The newest %1 of %2 events; the CSV export has them all.</source>
        <translation>Les %1 événements les plus récents sur %2&#xa0;; l&apos;export CSV les contient tous.</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1&#xa0;: écriture impossible&#xa0;: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::SnapshotWindow</name>
    <message>
        <source>Snapshot: %1 — Tribune</source>
        <translation>Instantané&#xa0;: %1 — Tribune</translation>
    </message>
    <message>
        <source>a snapshot is read-only: connect to the cluster to change it</source>
        <translation>un instantané est en lecture seule&#xa0;: connectez-vous au cluster pour le modifier</translation>
    </message>
    <message>
        <source>Cluster at the Time</source>
        <translation>Cluster à ce moment</translation>
    </message>
    <message>
        <source>Configuration Files</source>
        <translation>Fichiers de configuration</translation>
    </message>
    <message>
        <source>No configuration files: %1</source>
        <translation>Aucun fichier de configuration&#xa0;: %1</translation>
    </message>
    <message>
        <source>they could not be read</source>
        <translation>ils n&apos;ont pas pu être lus</translation>
    </message>
    <message>
        <source>HAProxy</source>
        <translation>HAProxy</translation>
    </message>
    <message numerus="yes">
        <source>Read-only snapshot of %1 · %n member(s)</source>
        <translation>
            <numerusform>Instantané en lecture seule de %1 · %n membre</numerusform>
            <numerusform>Instantané en lecture seule de %1 · %n membres</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (when taken)</source>
        <translation>%1 (moment de la prise)</translation>
    </message>
    <message>
        <source>&lt;b&gt;Snapshot of %1&lt;/b&gt;, taken %2%3 — read-only; nothing here is live.</source>
        <translation>&lt;b&gt;Instantané de %1&lt;/b&gt;, pris le %2%3 — en lecture seule&#xa0;; rien n&apos;est en direct ici.</translation>
    </message>
    <message>
        <source> by %1</source>
        <translation> par %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;This snapshot holds passwords&lt;/b&gt;: it was taken with secrets included. Share it with care.</source>
        <translation>&lt;b&gt;Cet instantané contient des mots de passe&lt;/b&gt;&#xa0;: il a été pris avec les secrets inclus. Partagez-le avec précaution.</translation>
    </message>
    <message>
        <source>Not captured: %1</source>
        <translation>Non capturé&#xa0;: %1</translation>
    </message>
    <message>
        <source>The cluster as it was at that second, rebuilt from the snapshot&apos;s events</source>
        <translation>Le cluster tel qu&apos;il était à cette seconde, reconstitué à partir des événements de l&apos;instantané</translation>
    </message>
    <message>
        <source>◀ Event</source>
        <translation>◀ Événement</translation>
    </message>
    <message>
        <source>The event before the moment shown</source>
        <translation>L&apos;événement précédant le moment affiché</translation>
    </message>
    <message>
        <source>Event ▶</source>
        <translation>Événement ▶</translation>
    </message>
    <message>
        <source>The event after the moment shown</source>
        <translation>L&apos;événement suivant le moment affiché</translation>
    </message>
    <message>
        <source>When Taken</source>
        <translation>Moment de la prise</translation>
    </message>
    <message>
        <source>Shown at:</source>
        <translation>Moment affiché&#xa0;:</translation>
    </message>
    <message>
        <source>HAProxy&apos;s answers were not captured.</source>
        <translation>Les réponses de HAProxy n&apos;ont pas été capturées.</translation>
    </message>
    <message>
        <source>&amp;Snapshot</source>
        <translation>&amp;Instantané</translation>
    </message>
    <message>
        <source>&amp;Open Snapshot…</source>
        <translation>&amp;Ouvrir un instantané…</translation>
    </message>
    <message>
        <source>Co&amp;mpare With…</source>
        <translation>Co&amp;mparer avec…</translation>
    </message>
    <message>
        <source>Another snapshot against this one: members, each domain&apos;s traffic, every node&apos;s files, findings</source>
        <translation>Un autre instantané comparé à celui-ci&#xa0;: membres, trafic de chaque domaine, fichiers de chaque nœud, constats</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>Exporter en &amp;CSV…</translation>
    </message>
    <message>
        <source>members.csv, events.csv and samples.csv in a folder</source>
        <translation>members.csv, events.csv et samples.csv dans un dossier</translation>
    </message>
    <message>
        <source>Export &amp;PDF Report…</source>
        <translation>Exporter un rapport &amp;PDF…</translation>
    </message>
    <message>
        <source>The summary, the members, findings, each domain&apos;s charts and the events, as one PDF</source>
        <translation>Le résumé, les membres, les constats, les graphiques de chaque domaine et les événements, dans un seul PDF</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>&amp;Fermer</translation>
    </message>
    <message>
        <source>Compare With Snapshot</source>
        <translation>Comparer avec un instantané</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Lecture de %1…</translation>
    </message>
    <message>
        <source>this snapshot</source>
        <translation>cet instantané</translation>
    </message>
    <message>
        <source>Export CSV Into</source>
        <translation>Exporter les CSV dans</translation>
    </message>
    <message>
        <source>Writing CSV files into %1…</source>
        <translation>Écriture des fichiers CSV dans %1…</translation>
    </message>
    <message>
        <source>Cannot Export CSV</source>
        <translation>Impossible d&apos;exporter en CSV</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>Écrit&#xa0;: %1</translation>
    </message>
    <message>
        <source>Export PDF Report</source>
        <translation>Exporter un rapport PDF</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>Document PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the report to %1…</source>
        <translation>Écriture du rapport dans %1…</translation>
    </message>
    <message>
        <source>Cannot Export the Report</source>
        <translation>Impossible d&apos;exporter le rapport</translation>
    </message>
    <message>
        <source>Open Snapshot</source>
        <translation>Ouvrir un instantané</translation>
    </message>
    <message>
        <source>Cannot Open the Snapshot</source>
        <translation>Impossible d&apos;ouvrir l&apos;instantané</translation>
    </message>
    <message>
        <source>Tribune snapshots (*.tribune-snapshot);;All files (*)</source>
        <translation>Instantanés Tribune (*.tribune-snapshot);;Tous les fichiers (*)</translation>
    </message>
</context>
<context>
    <name>Tribune::TrafficCharts</name>
    <message>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Enregistrer…</translation>
    </message>
    <message>
        <source>Paused: the charts are not updating. Press Resume to follow the cluster again.</source>
        <translation>En pause&#xa0;: les graphiques ne sont pas mis à jour. Cliquez sur Reprendre pour suivre à nouveau le cluster.</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation>Total&#xa0;: %1</translation>
    </message>
    <message>
        <source>Save Charts</source>
        <translation>Enregistrer les graphiques</translation>
    </message>
    <message>
        <source>PNG image (*.png);;PDF document (*.pdf)</source>
        <translation>Image PNG (*.png);;Document PDF (*.pdf)</translation>
    </message>
</context>
<context>
    <name>Tribune::UrlPasswordField</name>
    <message>
        <source>password</source>
        <translation>mot de passe</translation>
    </message>
    <message>
        <source>The database password, kept out of the URL shown and of the settings file.</source>
        <translation>Le mot de passe de la base de données, tenu à l&apos;écart de l&apos;URL affichée et du fichier de paramètres.</translation>
    </message>
</context>
<context>
    <name>Tribune::Validator</name>
    <message>
        <source>%1 (resolves nowhere)</source>
        <translation>%1 (non résolu)</translation>
    </message>
    <message>
        <source>(unplaced)</source>
        <translation>(non placé)</translation>
    </message>
    <message>
        <source>unknown product</source>
        <translation>produit inconnu</translation>
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
        <translation>dbConfig «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>the user store</source>
        <translation>le référentiel d&apos;utilisateurs</translation>
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
        <translation>le référentiel d&apos;utilisateurs est sur %1, mais les managers de %2 conservent les utilisateurs dans %3&#xa0;: les utilisateurs ajoutés sur un manager ne peuvent pas se connecter ici</translation>
    </message>
    <message>
        <source>set &lt;Property name=&quot;dataSource&quot;&gt; to %1, this node&apos;s datasource for %2</source>
        <translation>réglez &lt;Property name=&quot;dataSource&quot;&gt; sur %1, la source de données de ce nœud pour %2</translation>
    </message>
    <message>
        <source>add a datasource for %1 to master-datasources.xml and point &lt;Property name=&quot;dataSource&quot;&gt; at it</source>
        <translation>ajoutez une source de données pour %1 dans master-datasources.xml et faites pointer &lt;Property name=&quot;dataSource&quot;&gt; vers elle</translation>
    </message>
    <message>
        <source>%1 uses datasource %2, which master-datasources.xml does not define</source>
        <translation>%1 utilise la source de données %2, que master-datasources.xml ne définit pas</translation>
    </message>
    <message>
        <source>add a datasource with &lt;jndiConfig&gt;&lt;name&gt;%1&lt;/name&gt; or correct the reference</source>
        <translation>ajoutez une source de données avec &lt;jndiConfig&gt;&lt;name&gt;%1&lt;/name&gt; ou corrigez la référence</translation>
    </message>
    <message>
        <source>correct the reference to %1, defined and used nowhere else, or add a datasource with &lt;jndiConfig&gt;&lt;name&gt;%2&lt;/name&gt;</source>
        <translation>remplacez la référence par %1, définie mais utilisée nulle part ailleurs, ou ajoutez une source de données avec &lt;jndiConfig&gt;&lt;name&gt;%2&lt;/name&gt;</translation>
    </message>
    <message>
        <source> or </source>
        <translation> ou </translation>
    </message>
    <message>
        <source>datasource %1 (%2) belongs to %3, whose files Tribune does not read, so whether it is used cannot be told</source>
        <translation>la source de données %1 (%2) appartient à %3, dont Tribune ne lit pas les fichiers&#xa0;: impossible de dire si elle est utilisée</translation>
    </message>
    <message>
        <source>nothing to do if %1 runs on this node; otherwise it may go</source>
        <translation>rien à faire si %1 s&apos;exécute sur ce nœud&#xa0;; sinon, elle peut être supprimée</translation>
    </message>
    <message>
        <source>datasource %1 (%2) is referred to by no registry dbConfig and not by user-mgt.xml</source>
        <translation>la source de données %1 (%2) n&apos;est référencée par aucun dbConfig du registre ni par user-mgt.xml</translation>
    </message>
    <message>
        <source>remove it, or refer to it where it is meant to be used</source>
        <translation>supprimez-la, ou référencez-la là où elle doit être utilisée</translation>
    </message>
    <message>
        <source>the default sub-domain</source>
        <translation>le sous-domaine par défaut</translation>
    </message>
    <message>
        <source>sub-domain &quot;%1&quot;</source>
        <translation>le sous-domaine «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>(the default sub-domain)</source>
        <translation>(le sous-domaine par défaut)</translation>
    </message>
    <message>
        <source>the load balancer serves no domain &quot;%1&quot;</source>
        <translation>le répartiteur de charge ne sert aucun domaine «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>add a block for %1 under domains { } in loadbalancer.conf, or correct the domain parameter</source>
        <translation>ajoutez un bloc pour %1 sous domains { } dans loadbalancer.conf, ou corrigez le paramètre domain</translation>
    </message>
    <message>
        <source>the load balancer serves %1 of domain &quot;%2&quot; to no one</source>
        <translation>le répartiteur de charge ne sert pas %1 du domaine «&#xa0;%2&#xa0;»</translation>
    </message>
    <message>
        <source>add the subDomain property with one of the sub-domains the load balancer serves for %1: %2</source>
        <translation>ajoutez la propriété subDomain avec l&apos;un des sous-domaines que le répartiteur de charge sert pour %1&#xa0;: %2</translation>
    </message>
    <message>
        <source>set the subDomain property to one the load balancer serves for %1 (%2), or serve sub-domain %3 in loadbalancer.conf</source>
        <translation>réglez la propriété subDomain sur l&apos;un de ceux que le répartiteur de charge sert pour %1 (%2), ou servez le sous-domaine %3 dans loadbalancer.conf</translation>
    </message>
    <message>
        <source>in service &quot;%1&quot;, tenant_range %2 of %3 overlaps tenant_range %4 of %5 (line %6)</source>
        <translation>dans le service «&#xa0;%1&#xa0;», le tenant_range %2 de %3 chevauche le tenant_range %4 de %5 (ligne %6)</translation>
    </message>
    <message>
        <source>give each domain of a service its own tenants, e.g. 1-100 and 101-200</source>
        <translation>attribuez à chaque domaine d&apos;un service ses propres tenants, par exemple 1-100 et 101-200</translation>
    </message>
    <message>
        <source>WSDLEPRPrefix of transport %1 publishes port %2, but the load balancer %3 listens for %4 on %5</source>
        <translation>le WSDLEPRPrefix du transport %1 publie le port %2, mais le répartiteur de charge %3 écoute %4 sur %5</translation>
    </message>
    <message>
        <source>set WSDLEPRPrefix to %1</source>
        <translation>réglez WSDLEPRPrefix sur %1</translation>
    </message>
    <message>
        <source>the %1 connector&apos;s proxyPort %2 is no port the load balancer %3 listens on (%4)</source>
        <translation>le proxyPort %2 du connecteur %1 n&apos;est pas un port sur lequel écoute le répartiteur de charge %3 (%4)</translation>
    </message>
    <message>
        <source>set proxyPort=&quot;%1&quot; on the connector of port %2</source>
        <translation>définissez proxyPort=&quot;%1&quot; sur le connecteur du port %2</translation>
    </message>
    <message>
        <source>the load balancer serves this manager&apos;s console as %1 (%2 line %3), but carbon.xml has no MgtHostName, so the console&apos;s links lead to %4</source>
        <translation>le répartiteur de charge sert la console de ce manager sous le nom %1 (%2, ligne %3), mais carbon.xml n&apos;a pas de MgtHostName&#xa0;: les liens de la console mènent donc vers %4</translation>
    </message>
    <message>
        <source>the node itself</source>
        <translation>le nœud lui-même</translation>
    </message>
    <message>
        <source>add &lt;MgtHostName&gt;%1&lt;/MgtHostName&gt; after &lt;HostName&gt;</source>
        <translation>ajoutez &lt;MgtHostName&gt;%1&lt;/MgtHostName&gt; après &lt;HostName&gt;</translation>
    </message>
    <message>
        <source>the node has no axis2.xml, so it cannot join the cluster</source>
        <translation>le nœud n&apos;a pas de fichier axis2.xml&#xa0;: il ne peut donc pas rejoindre le cluster</translation>
    </message>
    <message>
        <source>copy axis2.xml from another node and set its clustering section</source>
        <translation>copiez axis2.xml depuis un autre nœud et configurez sa section clustering</translation>
    </message>
    <message>
        <source>clustering is disabled, so this node will not join the cluster</source>
        <translation>le clustering est désactivé&#xa0;: ce nœud ne rejoindra donc pas le cluster</translation>
    </message>
    <message>
        <source>axis2.xml has no &lt;clustering&gt; section</source>
        <translation>axis2.xml n&apos;a pas de section &lt;clustering&gt;</translation>
    </message>
    <message>
        <source>set enable=&quot;true&quot; on &lt;clustering&gt;</source>
        <translation>définissez enable=&quot;true&quot; sur &lt;clustering&gt;</translation>
    </message>
    <message>
        <source>add a &lt;clustering&gt; section with membershipScheme wka</source>
        <translation>ajoutez une section &lt;clustering&gt; avec membershipScheme wka</translation>
    </message>
    <message>
        <source>localMemberHost</source>
        <translation>localMemberHost</translation>
    </message>
    <message>
        <source>well-known member</source>
        <translation>membre connu</translation>
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
        <translation>serveur</translation>
    </message>
    <message>
        <source>the hosts file %1</source>
        <translation>le fichier hosts %1</translation>
    </message>
    <message>
        <source>the system resolver</source>
        <translation>le résolveur du système</translation>
    </message>
    <message>
        <source>%1 &quot;%2&quot; resolves nowhere: %3 does not name it</source>
        <translation>%1 «&#xa0;%2&#xa0;» n&apos;est résolu nulle part&#xa0;: %3 ne le connaît pas</translation>
    </message>
    <message>
        <source> (written on %1 too)</source>
        <translation> (également écrit sur %1)</translation>
    </message>
    <message>
        <source>add &quot;ADDRESS %1&quot; to %2, with the address of the server it names</source>
        <translation>ajoutez «&#xa0;ADDRESS %1&#xa0;» à %2, avec l&apos;adresse du serveur qu&apos;il désigne</translation>
    </message>
    <message>
        <source>add &quot;ADDRESS %1&quot; to the cluster&apos;s hosts file (or to the servers&apos; DNS), with the address of the server it names</source>
        <translation>ajoutez «&#xa0;ADDRESS %1&#xa0;» au fichier hosts du cluster (ou au DNS des serveurs), avec l&apos;adresse du serveur qu&apos;il désigne</translation>
    </message>
    <message>
        <source>the node names no localMemberHost and no servers file places it, so nothing tells which server it is on; port clashes with its neighbours go unseen</source>
        <translation>le nœud n&apos;indique aucun localMemberHost et aucun fichier servers ne le place&#xa0;: rien n&apos;indique sur quel serveur il se trouve, et les conflits de ports avec ses voisins passent inaperçus</translation>
    </message>
    <message>
        <source>add &quot;ADDRESS %1&quot; to the cluster&apos;s servers file, or set localMemberHost</source>
        <translation>ajoutez «&#xa0;ADDRESS %1&#xa0;» au fichier servers du cluster, ou définissez localMemberHost</translation>
    </message>
    <message>
        <source>localMemberHost %1 is this server&apos;s loopback address, but the cluster spans %2 servers: members on the others would reach themselves, not this node</source>
        <translation>localMemberHost %1 est l&apos;adresse de bouclage de ce serveur, mais le cluster s&apos;étend sur %2 serveurs&#xa0;: les membres situés sur les autres s&apos;atteindraient eux-mêmes, et non ce nœud</translation>
    </message>
    <message>
        <source>set localMemberHost to %1, this node&apos;s server in the servers file</source>
        <translation>réglez localMemberHost sur %1, le serveur de ce nœud dans le fichier servers</translation>
    </message>
    <message>
        <source>localMemberHost %1 is server %2, but the servers file (line %3) places the node on %4</source>
        <translation>localMemberHost %1 est le serveur %2, mais le fichier servers (ligne %3) place le nœud sur %4</translation>
    </message>
    <message>
        <source>set localMemberHost to %1, or correct the servers file</source>
        <translation>réglez localMemberHost sur %1, ou corrigez le fichier servers</translation>
    </message>
    <message>
        <source>membership port</source>
        <translation>port d&apos;appartenance</translation>
    </message>
    <message>
        <source>group_mgt_port of %1</source>
        <translation>group_mgt_port de %1</translation>
    </message>
    <message>
        <source>well-known member %1:%2 is no node of this cluster; it is near %3&apos;s %4 %5</source>
        <translation>le membre connu %1:%2 ne correspond à aucun nœud de ce cluster&#xa0;; il est proche du %4 %5 de %3</translation>
    </message>
    <message>
        <source>set &lt;port&gt; to %1 if %2&apos;s %3 was meant</source>
        <translation>réglez &lt;port&gt; sur %1 si c&apos;est le %3 de %2 qui était visé</translation>
    </message>
    <message>
        <source>well-known member %1:%2 (server %3) is no node of this cluster</source>
        <translation>le membre connu %1:%2 (serveur %3) ne correspond à aucun nœud de ce cluster</translation>
    </message>
    <message>
        <source>list the localMemberHost and localMemberPort of a node of %1 (e.g. %2 at %3:%4) or of the load balancer, or remove the entry</source>
        <translation>indiquez le localMemberHost et le localMemberPort d&apos;un nœud de %1 (par exemple %2 à %3:%4) ou du répartiteur de charge, ou supprimez l&apos;entrée</translation>
    </message>
    <message>
        <source>list the localMemberHost and localMemberPort of the load balancer or a manager node, or remove the entry</source>
        <translation>indiquez le localMemberHost et le localMemberPort du répartiteur de charge ou d&apos;un nœud manager, ou supprimez l&apos;entrée</translation>
    </message>
    <message>
        <source>this node clusters with %1 (%2), the load balancer %3 with %4 (%5): they cannot form one cluster</source>
        <translation>ce nœud utilise %1 (%2) pour le clustering, le répartiteur de charge %3 utilise %4 (%5)&#xa0;: ils ne peuvent pas former un même cluster</translation>
    </message>
    <message>
        <source>set class=&quot;%1&quot; on &lt;clustering&gt;, as the load balancer has it</source>
        <translation>définissez class=&quot;%1&quot; sur &lt;clustering&gt;, comme sur le répartiteur de charge</translation>
    </message>
    <message>
        <source>this node clusters with %1, node %2 of the same domain with %3: they cannot form one cluster</source>
        <translation>ce nœud utilise %1 pour le clustering, le nœud %2 du même domaine utilise %3&#xa0;: ils ne peuvent pas former un même cluster</translation>
    </message>
    <message>
        <source>set class=&quot;%1&quot; on &lt;clustering&gt;</source>
        <translation>définissez class=&quot;%1&quot; sur &lt;clustering&gt;</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 %2 (its %3)</source>
        <translation>%1 %2 (son %3)</translation>
    </message>
    <message>
        <source>set &lt;Ports&gt;&lt;Offset&gt; to %1 in carbon.xml, the nearest offset free on server %2</source>
        <translation>réglez &lt;Ports&gt;&lt;Offset&gt; sur %1 dans carbon.xml, le décalage libre le plus proche sur le serveur %2</translation>
    </message>
    <message>
        <source>set localMemberPort to %1 in axis2.xml, a port free on server %2</source>
        <translation>réglez localMemberPort sur %1 dans axis2.xml, un port libre sur le serveur %2</translation>
    </message>
    <message>
        <source>move the node to another server</source>
        <translation>déplacez le nœud vers un autre serveur</translation>
    </message>
    <message>
        <source>; and </source>
        <translation>&#xa0;; et </translation>
    </message>
    <message>
        <source>on server %1, node %2 listens on the same ports: %3</source>
        <translation>sur le serveur %1, le nœud %2 écoute sur les mêmes ports&#xa0;: %3</translation>
    </message>
    <message>
        <source>keep group_mgt_port %1 as it is; on %2, %3</source>
        <translation>conservez group_mgt_port %1 tel quel&#xa0;; sur %2, %3</translation>
    </message>
    <message>
        <source>keep this node as it is; on %1, %2</source>
        <translation>conservez ce nœud tel quel&#xa0;; sur %1, %2</translation>
    </message>
    <message>
        <source>port.mapping.%1 sends traffic to port %2, which this node (offset %3) does not listen on</source>
        <translation>port.mapping.%1 envoie le trafic vers le port %2, sur lequel ce nœud (décalage %3) n&apos;écoute pas</translation>
    </message>
    <message>
        <source>set port.mapping.%1 to %2, the node&apos;s %3 port after its offset</source>
        <translation>réglez port.mapping.%1 sur %2, le port %3 du nœud après son décalage</translation>
    </message>
    <message>
        <source>worker mounts the shared registry &quot;%1&quot; read-write; only the manager may write it</source>
        <translation>le worker monte le registre partagé «&#xa0;%1&#xa0;» en lecture-écriture&#xa0;; seul le manager peut y écrire</translation>
    </message>
    <message>
        <source>set &lt;readOnly&gt;true&lt;/readOnly&gt; in &lt;remoteInstance&gt; %1</source>
        <translation>définissez &lt;readOnly&gt;true&lt;/readOnly&gt; dans &lt;remoteInstance&gt; %1</translation>
    </message>
    <message>
        <source>manager mounts the shared registry &quot;%1&quot; read-only, so deployments cannot be stored</source>
        <translation>le manager monte le registre partagé «&#xa0;%1&#xa0;» en lecture seule&#xa0;: les déploiements ne peuvent donc pas être enregistrés</translation>
    </message>
    <message>
        <source>set &lt;readOnly&gt;false&lt;/readOnly&gt; in &lt;remoteInstance&gt; %1</source>
        <translation>définissez &lt;readOnly&gt;false&lt;/readOnly&gt; dans &lt;remoteInstance&gt; %1</translation>
    </message>
    <message>
        <source>no mount for %1, so this node keeps it in its local registry</source>
        <translation>aucun montage pour %1&#xa0;: ce nœud le conserve donc dans son registre local</translation>
    </message>
    <message>
        <source>add &lt;mount path=&quot;%1&quot; overwrite=&quot;true&quot;&gt; pointing at the shared remote instance</source>
        <translation>ajoutez &lt;mount path=&quot;%1&quot; overwrite=&quot;true&quot;&gt; pointant vers l&apos;instance distante partagée</translation>
    </message>
    <message>
        <source>mount %1 names remote instance &quot;%2&quot;, which is not defined</source>
        <translation>le montage %1 désigne l&apos;instance distante «&#xa0;%2&#xa0;», qui n&apos;est pas définie</translation>
    </message>
    <message>
        <source>define a &lt;remoteInstance&gt; with &lt;id&gt;%1&lt;/id&gt; or correct &lt;instanceId&gt;</source>
        <translation>définissez un &lt;remoteInstance&gt; avec &lt;id&gt;%1&lt;/id&gt; ou corrigez &lt;instanceId&gt;</translation>
    </message>
    <message>
        <source>remote instance &quot;%1&quot; uses dbConfig &quot;%2&quot;, which is not defined</source>
        <translation>l&apos;instance distante «&#xa0;%1&#xa0;» utilise le dbConfig «&#xa0;%2&#xa0;», qui n&apos;est pas défini</translation>
    </message>
    <message>
        <source>add &lt;dbConfig name=&quot;%1&quot;&gt; or correct &lt;dbConfig&gt;</source>
        <translation>ajoutez &lt;dbConfig name=&quot;%1&quot;&gt; ou corrigez &lt;dbConfig&gt;</translation>
    </message>
    <message>
        <source>mount %1 reaches database %2, but the other members of %3 share %4</source>
        <translation>le montage %1 accède à la base de données %2, mais les autres membres de %3 partagent %4</translation>
    </message>
    <message>
        <source>point the remote instance&apos;s dbConfig at the datasource for %1</source>
        <translation>faites pointer le dbConfig de l&apos;instance distante vers la source de données de %1</translation>
    </message>
    <message>
        <source>the local registry database %1 is also node %2&apos;s local registry; local registries must not be shared</source>
        <translation>la base de données de registre local %1 est aussi le registre local du nœud %2&#xa0;; les registres locaux ne doivent pas être partagés</translation>
    </message>
    <message>
        <source>create a database of its own for this node (e.g. %1) and point the datasource of currentDBConfig at it</source>
        <translation>créez une base de données propre à ce nœud (par exemple %1) et faites-y pointer la source de données de currentDBConfig</translation>
    </message>
    <message>
        <source>cacheId &quot;%1&quot; is also used by node %2 for another database (%3 here, %4 there)</source>
        <translation>le cacheId «&#xa0;%1&#xa0;» est aussi utilisé par le nœud %2 pour une autre base de données (%3 ici, %4 là-bas)</translation>
    </message>
    <message>
        <source>make cacheId name this instance&apos;s database, as user@jdbc-url: %1</source>
        <translation>faites en sorte que cacheId désigne la base de données de cette instance, sous la forme user@jdbc-url&#xa0;: %1</translation>
    </message>
    <message>
        <source>cacheId &quot;%1&quot; of remote instance %2 does not name the database it mounts, %3 as user %4 (datasource %5)</source>
        <translation>le cacheId «&#xa0;%1&#xa0;» de l&apos;instance distante %2 ne désigne pas la base de données qu&apos;elle monte, %3 en tant qu&apos;utilisateur %4 (source de données %5)</translation>
    </message>
    <message>
        <source>set &lt;cacheId&gt; to %1, user@jdbc-url of that datasource</source>
        <translation>réglez &lt;cacheId&gt; sur %1, le user@jdbc-url de cette source de données</translation>
    </message>
    <message>
        <source>cacheId &quot;%1&quot; names database %2, which node %3 caches as &quot;%4&quot;: the two keep separate caches of one registry</source>
        <translation>le cacheId «&#xa0;%1&#xa0;» désigne la base de données %2, que le nœud %3 met en cache sous «&#xa0;%4&#xa0;»&#xa0;: les deux tiennent des caches distincts d&apos;un même registre</translation>
    </message>
    <message>
        <source>set &lt;cacheId&gt; to %1, as the other nodes of that database have it</source>
        <translation>réglez &lt;cacheId&gt; sur %1, comme les autres nœuds de cette base de données</translation>
    </message>
    <message>
        <source>the node has no registry.xml, so it shares no registry with the cluster</source>
        <translation>le nœud n&apos;a pas de fichier registry.xml&#xa0;: il ne partage donc aucun registre avec le cluster</translation>
    </message>
    <message>
        <source>copy registry.xml from another member of %1</source>
        <translation>copiez registry.xml depuis un autre membre de %1</translation>
    </message>
    <message>
        <source>error</source>
        <translation>erreur</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>avertissement</translation>
    </message>
    <message>
        <source>note</source>
        <translation>remarque</translation>
    </message>
    <message>
        <source>1 error</source>
        <translation>1 erreur</translation>
    </message>
    <message>
        <source>%1 errors</source>
        <translation>%1 erreurs</translation>
    </message>
    <message>
        <source>1 warning</source>
        <translation>1 avertissement</translation>
    </message>
    <message>
        <source>%1 warnings</source>
        <translation>%1 avertissements</translation>
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
        <translation>Console pour clusters de serveurs d&apos;applications.</translation>
    </message>
    <message>
        <source>A cluster folder, node folders or a loadbalancer.conf to open; or *.tribune-snapshot files, each opened alone, offline.</source>
        <translation>Un dossier de cluster, des dossiers de nœuds ou un loadbalancer.conf à ouvrir&#xa0;; ou des fichiers *.tribune-snapshot, chacun ouvert séparément, hors ligne.</translation>
    </message>
    <message>
        <source>A well-known member&apos;s membership port (repeatable).</source>
        <translation>Le port d&apos;appartenance d&apos;un membre connu (répétable).</translation>
    </message>
    <message>
        <source>The load balancer&apos;s admin socket; alone, without --seed, the console watches HAProxy by itself.</source>
        <translation>Le socket d&apos;administration du répartiteur de charge&#xa0;; utilisé seul, sans --seed, la console surveille uniquement HAProxy.</translation>
    </message>
    <message>
        <source>The cluster key file (mode 0600).</source>
        <translation>Le fichier de clé du cluster (mode 0600).</translation>
    </message>
    <message>
        <source>console or viewer (default: the strongest key in the file).</source>
        <translation>console ou viewer (par défaut&#xa0;: la clé la plus forte du fichier).</translation>
    </message>
    <message>
        <source>Use TLS, trusting this certificate authority.</source>
        <translation>Utiliser TLS, en faisant confiance à cette autorité de certification.</translation>
    </message>
    <message>
        <source>Save a picture of the window to FILE after a few seconds, then quit.</source>
        <translation>Enregistrer une image de la fenêtre dans FILE après quelques secondes, puis quitter.</translation>
    </message>
    <message>
        <source>Where to keep history: sqlite:///path/history.sqlite or mysql://user:password@host:port/database; default: a SQLite file in the data folder.</source>
        <translation>Où conserver l&apos;historique&#xa0;: sqlite:///path/history.sqlite ou mysql://user:password@host:port/database&#xa0;; par défaut&#xa0;: un fichier SQLite dans le dossier de données.</translation>
    </message>
    <message>
        <source>Keep no history.</source>
        <translation>Ne conserver aucun historique.</translation>
    </message>
    <message>
        <source>Resolve the cluster&apos;s host names with this file (/etc/hosts format) alone.</source>
        <translation>Résoudre les noms d&apos;hôte du cluster uniquement avec ce fichier (format /etc/hosts).</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <source>Cannot Connect</source>
        <translation>Connexion impossible</translation>
    </message>
    <message>
        <source>Cannot Keep the Password</source>
        <translation>Impossible de conserver le mot de passe</translation>
    </message>
    <message>
        <source>The preferences are saved, but the history database&apos;s password could not be kept, so the next start will not have it: %1</source>
        <translation>Les préférences sont enregistrées, mais le mot de passe de la base d&apos;historique n&apos;a pas pu être conservé&#xa0;; il ne sera donc pas disponible au prochain démarrage&#xa0;: %1</translation>
    </message>
</context>
<context>
    <name>tribune_agent</name>
    <message>
        <source>Membership, health and configuration service of one cluster node.</source>
        <translation>Service d&apos;appartenance, d&apos;état de santé et de configuration d&apos;un nœud du cluster.</translation>
    </message>
    <message>
        <source>The node&apos;s CARBON_HOME (or its repository/conf).</source>
        <translation>Le CARBON_HOME du nœud (ou son repository/conf).</translation>
    </message>
    <message>
        <source>The cluster key file (mode 0600).</source>
        <translation>Le fichier de clé du cluster (mode 0600).</translation>
    </message>
    <message>
        <source>Membership port, when the product itself uses localMemberPort.</source>
        <translation>Port d&apos;appartenance, lorsque le produit lui-même utilise localMemberPort.</translation>
    </message>
    <message>
        <source>Answer HTTP on the node&apos;s HTTP port (9763 plus offset).</source>
        <translation>Répondre en HTTP sur le port HTTP du nœud (9763 plus le décalage).</translation>
    </message>
    <message>
        <source>&quot;lb&quot; for the load balancer&apos;s agent.</source>
        <translation>«&#xa0;lb&#xa0;» pour l&apos;agent du répartiteur de charge.</translation>
    </message>
    <message>
        <source>TLS certificate (PEM).</source>
        <translation>Certificat TLS (PEM).</translation>
    </message>
    <message>
        <source>TLS private key (PEM).</source>
        <translation>Clé privée TLS (PEM).</translation>
    </message>
    <message>
        <source>TLS certificate authority (PEM).</source>
        <translation>Autorité de certification TLS (PEM).</translation>
    </message>
    <message>
        <source>loadbalancer.conf (default: the node&apos;s own).</source>
        <translation>loadbalancer.conf (par défaut&#xa0;: celui du nœud).</translation>
    </message>
    <message>
        <source>Attach to a running HAProxy&apos;s admin socket instead of starting one.</source>
        <translation>Se connecter au socket d&apos;administration d&apos;un HAProxy en cours d&apos;exécution au lieu d&apos;en démarrer un.</translation>
    </message>
    <message>
        <source>The haproxy program (default: haproxy).</source>
        <translation>Le programme haproxy (par défaut&#xa0;: haproxy).</translation>
    </message>
    <message>
        <source>Where HAProxy&apos;s configuration and socket go (default: CARBON_HOME/.tribune/haproxy).</source>
        <translation>Emplacement de la configuration et du socket de HAProxy (par défaut&#xa0;: CARBON_HOME/.tribune/haproxy).</translation>
    </message>
    <message>
        <source>Resolve the node&apos;s host names with this file (/etc/hosts format) alone.</source>
        <translation>Résoudre les noms d&apos;hôte du nœud uniquement avec ce fichier (format /etc/hosts).</translation>
    </message>
    <message>
        <source>The node&apos;s name for people (default: its CARBON_HOME folder&apos;s name).</source>
        <translation>Le nom du nœud présenté aux utilisateurs (par défaut&#xa0;: le nom de son dossier CARBON_HOME).</translation>
    </message>
    <message>
        <source>The cluster&apos;s servers file: which server this node is on when its files name no localMemberHost.</source>
        <translation>Le fichier servers du cluster&#xa0;: il indique sur quel serveur se trouve ce nœud lorsque ses fichiers n&apos;indiquent aucun localMemberHost.</translation>
    </message>
    <message>
        <source>Address HAProxy listens on (default: *).</source>
        <translation>Adresse d&apos;écoute de HAProxy (par défaut&#xa0;: *).</translation>
    </message>
    <message>
        <source>HAProxy&apos;s HTTP port (default: the ELB&apos;s http transport in axis2.xml, else 8280).</source>
        <translation>Port HTTP de HAProxy (par défaut&#xa0;: le transport http de l&apos;ELB dans axis2.xml, sinon 8280).</translation>
    </message>
    <message>
        <source>HAProxy&apos;s HTTPS port (default: the ELB&apos;s https transport in axis2.xml, else 8243).</source>
        <translation>Port HTTPS de HAProxy (par défaut&#xa0;: le transport https de l&apos;ELB dans axis2.xml, sinon 8243).</translation>
    </message>
    <message>
        <source>PEM for HAProxy&apos;s HTTPS listener.</source>
        <translation>PEM de l&apos;écouteur HTTPS de HAProxy.</translation>
    </message>
    <message>
        <source>Also open HAProxy&apos;s admin socket on this loopback HOST:PORT.</source>
        <translation>Ouvrir aussi le socket d&apos;administration de HAProxy sur ce HOST:PORT de bouclage.</translation>
    </message>
    <message>
        <source>Tenant domain to tenant id map for tenant-aware routing.</source>
        <translation>Table de correspondance domaine de tenant → identifiant de tenant, pour le routage par tenant.</translation>
    </message>
    <message>
        <source>A bare node: wait on --listen for the node&apos;s first configuration, pushed by a console, then become that node.</source>
        <translation>Un nœud vierge&#xa0;: attendre sur --listen la première configuration du nœud, envoyée par une console, puis devenir ce nœud.</translation>
    </message>
    <message>
        <source>With --provision: where to wait.</source>
        <translation>Avec --provision&#xa0;: où attendre.</translation>
    </message>
    <message>
        <source>With --role lb: stop the HAProxy of the runtime folder (it outlives its agent on purpose) and exit.</source>
        <translation>Avec --role lb&#xa0;: arrêter le HAProxy du dossier d&apos;exécution (il survit volontairement à son agent) et quitter.</translation>
    </message>
    <message>
        <source>tribune-agent: --stop-haproxy needs --role lb and --runtime-dir DIR (or --carbon-home DIR); see --help</source>
        <translation>tribune-agent&#xa0;: --stop-haproxy nécessite --role lb et --runtime-dir DIR (ou --carbon-home DIR)&#xa0;; voir --help</translation>
    </message>
    <message>
        <source>tribune-agent: --carbon-home and --key-file are required; see --help</source>
        <translation>tribune-agent&#xa0;: --carbon-home et --key-file sont obligatoires&#xa0;; voir --help</translation>
    </message>
    <message>
        <source>tribune-agent: --provision needs --listen HOST:PORT; see --help</source>
        <translation>tribune-agent&#xa0;: --provision nécessite --listen HOST:PORT&#xa0;; voir --help</translation>
    </message>
    <message>
        <source>tribune-agent: --port needs a port number, not &quot;%1&quot;</source>
        <translation>tribune-agent&#xa0;: --port attend un numéro de port, pas «&#xa0;%1&#xa0;»</translation>
    </message>
    <message>
        <source>tribune-agent: driving HAProxy through %1</source>
        <translation>tribune-agent&#xa0;: pilotage de HAProxy via %1</translation>
    </message>
    <message>
        <source>tribune-agent: member %1 of %2%3 listening on %4%5</source>
        <translation>tribune-agent&#xa0;: membre %1 de %2%3, à l&apos;écoute sur %4%5</translation>
    </message>
    <message>
        <source>, HTTP on %1</source>
        <translation>, HTTP sur %1</translation>
    </message>
    <message>
        <source>tribune-agent: %1 has a configuration already; starting as that node</source>
        <translation>tribune-agent&#xa0;: %1 a déjà une configuration&#xa0;; démarrage en tant que ce nœud</translation>
    </message>
    <message>
        <source>tribune-agent: the node&apos;s files are written to %1, but it could not start from them; fix what is said above and start tribune-agent without --provision</source>
        <translation>tribune-agent&#xa0;: les fichiers du nœud sont écrits dans %1, mais il n&apos;a pas pu démarrer à partir de ceux-ci&#xa0;; corrigez ce qui est indiqué ci-dessus et démarrez tribune-agent sans --provision</translation>
    </message>
    <message>
        <source>tribune-agent: waiting on %1:%2 for this node&apos;s first configuration</source>
        <translation>tribune-agent&#xa0;: attente sur %1:%2 de la première configuration de ce nœud</translation>
    </message>
</context>
<context>
    <name>tribunectl</name>
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
        <translation>Utilisation&#xa0;: tribunectl COMMAND [OPTIONS]

Commandes&#xa0;:
  validate [--json] PATH...   vérifier les fichiers de configuration d&apos;un cluster
  node plan --like NODE --host HOST [PATH...]   planifier un nouveau nœud sur le modèle d&apos;un autre
  db check --node-dir DIR [--create --admin-user USER]   vérifier les bases de données d&apos;un nœud
  watch --seed HOST:PORT      afficher la vue d&apos;appartenance, puis chaque changement
  members --seed HOST:PORT    afficher une seule fois la vue d&apos;appartenance
  health --node HOST:PORT     afficher l&apos;état de santé d&apos;un nœud
  config ACTION --node HOST:PORT  lire, envoyer, lister les sauvegardes ou restaurer les fichiers d&apos;un nœud
  config diff DIR_A DIR_B | --node HOST:PORT --from DIR   comparer les fichiers de nœuds
  config set --seed S --key-file K --node NODE FILE:KEY=VALUE...   modifications typées, validées
  keygen FILE                 écrire un nouveau fichier de clé du cluster
  render-haproxy LBCONF [-o CFG]  générer une configuration HAProxy à partir de loadbalancer.conf
  service install CARBON_HOME [--lb]  exécuter l&apos;agent du nœud sous systemd
  traffic --target HOST:PORT --host NAME  envoyer un flux régulier de requêtes
  lb status|drain|ready|maint|weight --socket PATH  les serveurs du répartiteur de charge
  history check|events|samples [--history URL]  lire l&apos;historique de la console
  snapshot export -o FILE | show FILE [--json] | diff A B | report --csv DIR FILE   instantanés

Exécutez «&#xa0;tribunectl COMMAND --help&#xa0;» pour les options d&apos;une commande.
</translation>
    </message>
    <message>
        <source>tribunectl: unknown command &quot;%1&quot;

</source>
        <translation>tribunectl&#xa0;: commande inconnue «&#xa0;%1&#xa0;»

</translation>
    </message>
</context>
</TS>
