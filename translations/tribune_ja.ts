<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>Tribune::AddNodeWizard</name>
    <message>
        <source>Review</source>
        <translation>確認</translation>
    </message>
    <message>
        <source>What the node&apos;s files will be, and what the whole cluster would say with it. Nothing is written before Push.</source>
        <translation>ノードのファイルの内容と、このノードを加えたクラスター全体の検証結果です。「プッシュ」を押すまで何も書き込まれません。</translation>
    </message>
    <message>
        <source>&amp;Push</source>
        <translation>プッシュ(&amp;P)</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>重大度</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>ノード</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>検出事項</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>エクスポート(&amp;E)…</translation>
    </message>
    <message>
        <source>Write the node&apos;s files and plan.json as one archive, for a server reached by other means</source>
        <translation>ノードのファイルと plan.json を 1 つのアーカイブに書き出します（別の手段でアクセスするサーバー向け）</translation>
    </message>
    <message>
        <source>No bare agent was given: Export the plan for its server (tribunectl node apply --plan takes it there), or go back and give the agent&apos;s HOST:PORT to push.</source>
        <translation>未構成エージェントが指定されていません。このサーバー用にプランをエクスポートする（tribunectl node apply --plan でサーバー上に適用できます）か、前に戻ってプッシュ先エージェントの HOST:PORT を指定してください。</translation>
    </message>
    <message>
        <source>Cannot push: %1</source>
        <translation>プッシュできません: %1</translation>
    </message>
    <message numerus="yes">
        <source>Push is disabled: the node would bring %n error(s) to the cluster. Go back and change what they name.</source>
        <translation>
            <numerusform>プッシュは無効です: このノードによりクラスターに %n 件のエラーが発生します。前に戻り、エラーが指摘する箇所を変更してください。</numerusform>
        </translation>
    </message>
    <message>
        <source>The cluster stays clean with the node in it.</source>
        <translation>このノードを加えても、クラスターに問題はありません。</translation>
    </message>
    <message>
        <source>No error; read the warnings before you push.</source>
        <translation>エラーはありません。プッシュする前に警告を確認してください。</translation>
    </message>
    <message>
        <source>there is no plan to export</source>
        <translation>エクスポートするプランがありません</translation>
    </message>
    <message>
        <source>Export the Plan</source>
        <translation>プランのエクスポート</translation>
    </message>
    <message>
        <source>Plan archive (*.tar.gz)</source>
        <translation>プランアーカイブ (*.tar.gz)</translation>
    </message>
    <message>
        <source>Exported to %1. On the node&apos;s server: tribunectl node apply --plan %1 --to HOST:PORT of its bare agent.</source>
        <translation>%1 にエクスポートしました。ノードのサーバー上で次を実行してください: tribunectl node apply --plan %1 --to 未構成エージェントの HOST:PORT</translation>
    </message>
    <message>
        <source>Cannot Export the Plan</source>
        <translation>プランをエクスポートできません</translation>
    </message>
    <message>
        <source>Push and join</source>
        <translation>プッシュと参加</translation>
    </message>
    <message>
        <source>Each node&apos;s files, then each step of the new node&apos;s join, with its time since the push.</source>
        <translation>各ノードのファイル、続いて新しいノードの参加の各ステップと、プッシュからの経過時間です。</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>時刻</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>ステップ</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>詳細</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>pushed</source>
        <translation>プッシュ済み</translation>
    </message>
    <message>
        <source>not pushed</source>
        <translation>未プッシュ</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>&amp;Roll Back %1</source>
        <translation>%1 をロールバック(&amp;R)</translation>
    </message>
    <message>
        <source>rolled back</source>
        <translation>ロールバック済み</translation>
    </message>
    <message>
        <source>not rolled back</source>
        <translation>未ロールバック</translation>
    </message>
    <message>
        <source>Rolled back: the nodes the push changed have their files from before it.</source>
        <translation>ロールバックしました: プッシュで変更されたノードのファイルは、プッシュ前の状態に戻りました。</translation>
    </message>
    <message>
        <source>Not every node could be rolled back; the list says which and why. Try again, or use the node&apos;s Configure… › Backups.</source>
        <translation>一部のノードをロールバックできませんでした。対象のノードと理由は一覧を参照してください。やり直すか、ノードの「構成…」›「バックアップ」を使用してください。</translation>
    </message>
    <message>
        <source>Rolling back…</source>
        <translation>ロールバック中…</translation>
    </message>
    <message>
        <source>Pushing…</source>
        <translation>プッシュ中…</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失敗: %1</translation>
    </message>
    <message>
        <source>%1 keeps the files it took: stop its agent on %2, or push it corrected files with Configure….</source>
        <translation>%1 は受け取ったファイルを保持しています。%2 上のエージェントを停止するか、「構成…」で修正したファイルをプッシュしてください。</translation>
    </message>
    <message>
        <source>A new node like an existing one</source>
        <translation>既存のノードと同様の新しいノード</translation>
    </message>
    <message>
        <source>Its files are the template&apos;s, with ports, hosts and its own local registry worked out for the new server.</source>
        <translation>ファイルはテンプレートのものを使い、ポート、ホスト、専用のローカルレジストリは新しいサーバーに合わせて決定されます。</translation>
    </message>
    <message>
        <source>default: the template&apos;s name and a number</source>
        <translation>既定: テンプレート名と番号</translation>
    </message>
    <message>
        <source>e.g. batch.esb.wso2.com</source>
        <translation>例: batch.esb.wso2.com</translation>
    </message>
    <message>
        <source>&amp;Like:</source>
        <translation>元にするノード(&amp;L):</translation>
    </message>
    <message>
        <source>Nam&amp;e:</source>
        <translation>名前(&amp;E):</translation>
    </message>
    <message>
        <source>&amp;Sub-domain:</source>
        <translation>サブドメイン(&amp;S):</translation>
    </message>
    <message>
        <source>Served &amp;as:</source>
        <translation>公開ホスト名(&amp;A):</translation>
    </message>
    <message>
        <source>A new sub-domain, and its first node</source>
        <translation>新しいサブドメインとその最初のノード</translation>
    </message>
    <message>
        <source>a sub-domain the load balancer does not serve yet, e.g. batch</source>
        <translation>ロードバランサーがまだ公開していないサブドメイン（例: batch）</translation>
    </message>
    <message>
        <source>default: %1</source>
        <translation>既定: %1</translation>
    </message>
    <message>
        <source>A new sub-domain: the load balancer will serve it under these host names, with the node as its first member.</source>
        <translation>新しいサブドメイン: ロードバランサーはこれらのホスト名でサブドメインを公開し、このノードが最初のメンバーになります。</translation>
    </message>
    <message>
        <source>Where it runs</source>
        <translation>実行場所</translation>
    </message>
    <message>
        <source>The new node&apos;s server, and the agent started there with no configuration yet.</source>
        <translation>新しいノードのサーバーと、そこで構成なしで起動済みのエージェントです。</translation>
    </message>
    <message>
        <source>an address, or a name the cluster&apos;s hosts resolve</source>
        <translation>アドレス、またはクラスターのホストが名前解決できる名前</translation>
    </message>
    <message>
        <source>HOST:PORT where the bare agent listens; none: export the plan</source>
        <translation>未構成エージェントが待ち受ける HOST:PORT。空欄: プランをエクスポート</translation>
    </message>
    <message>
        <source>No node of the cluster runs there yet.</source>
        <translation>このサーバーではまだクラスターのノードは動作していません。</translation>
    </message>
    <message>
        <source>Already there:
%1</source>
        <translation>既に動作中:
%1</translation>
    </message>
    <message>
        <source>&amp;Host:</source>
        <translation>ホスト(&amp;H):</translation>
    </message>
    <message>
        <source>&amp;Agent:</source>
        <translation>エージェント(&amp;A):</translation>
    </message>
    <message>
        <source>On the server, run:</source>
        <translation>サーバー上で次を実行してください:</translation>
    </message>
    <message>
        <source>Copy the cluster&apos;s key file there first, readable by its owner only (chmod 600); the key itself is never shown.</source>
        <translation>先にクラスターの鍵ファイルをそこへコピーし、所有者のみが読み取れるようにしてください（chmod 600）。鍵そのものは表示されません。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Free on that server when planned; change them if you must.</source>
        <translation>プラン作成時にそのサーバーで空いていた値です。必要な場合のみ変更してください。</translation>
    </message>
    <message>
        <source>Port &amp;offset:</source>
        <translation>ポートオフセット(&amp;O):</translation>
    </message>
    <message>
        <source>&amp;Membership port:</source>
        <translation>メンバーシップポート(&amp;M):</translation>
    </message>
    <message>
        <source>Membership &amp;host:</source>
        <translation>メンバーシップホスト(&amp;H):</translation>
    </message>
    <message>
        <source>&amp;Well-known members:</source>
        <translation>WKA メンバー(&amp;W):</translation>
    </message>
    <message>
        <source>Hos&amp;tName:</source>
        <translation>HostName(&amp;T):</translation>
    </message>
    <message>
        <source>M&amp;gtHostName:</source>
        <translation>MgtHostName(&amp;G):</translation>
    </message>
    <message>
        <source>Cannot plan the node: %1</source>
        <translation>ノードのプランを作成できません: %1</translation>
    </message>
    <message>
        <source>Server %1; sub-domain %2.</source>
        <translation>サーバー %1、サブドメイン %2。</translation>
    </message>
    <message>
        <source>Server %1; sub-domain %2; its local registry gets the database %3.</source>
        <translation>サーバー %1、サブドメイン %2。ローカルレジストリにはデータベース %3 を使用します。</translation>
    </message>
    <message>
        <source>The template has: %1</source>
        <translation>テンプレートの値: %1</translation>
    </message>
    <message>
        <source>(nothing)</source>
        <translation>（なし）</translation>
    </message>
    <message>
        <source>As the template has it</source>
        <translation>テンプレートと同じ</translation>
    </message>
    <message>
        <source>Cannot plan the node with these values: %1</source>
        <translation>この値ではノードのプランを作成できません: %1</translation>
    </message>
    <message>
        <source>Database</source>
        <translation>データベース</translation>
    </message>
    <message>
        <source>The shared registry and user store, and the node&apos;s local registry: test that each database is there and takes the node&apos;s credentials.</source>
        <translation>共有レジストリとユーザーストア、およびノードのローカルレジストリ: 各データベースが存在し、ノードの認証情報で接続できることをテストします。</translation>
    </message>
    <message>
        <source>Cannot read the node&apos;s datasources: %1</source>
        <translation>ノードのデータソースを読み込めません: %1</translation>
    </message>
    <message>
        <source>Add a Node</source>
        <translation>ノードの追加</translation>
    </message>
    <message>
        <source>New Sub-domain</source>
        <translation>新しいサブドメイン</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent</name>
    <message>
        <source>%1: the node has no axis2.xml to read its membership from</source>
        <translation>%1: メンバーシップの読み込み元となる axis2.xml がノードにありません</translation>
    </message>
    <message>
        <source>%1: localMemberHost %2 resolves nowhere%3; name its address there, or write the address itself</source>
        <translation>%1: localMemberHost %2 を名前解決できません%3。hosts ファイルにアドレスを記載するか、アドレスを直接記述してください</translation>
    </message>
    <message>
        <source> in %1</source>
        <translation>（%1 内）</translation>
    </message>
    <message>
        <source>well-known member %1:%2 resolves nowhere%3; it is left to the system resolver</source>
        <translation>WKA メンバー %1:%2 を名前解決できません%3。システムのリゾルバーに任せます</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: 書き込めません: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::AgentRuntime</name>
    <message>
        <source>the node&apos;s files are not valid; fix them and start again:</source>
        <translation>ノードのファイルが有効ではありません。修正してから再度起動してください:</translation>
    </message>
    <message>
        <source>well-known member %1 answers again</source>
        <translation>WKA メンバー %1 が再び応答しています</translation>
    </message>
    <message>
        <source>cannot reach well-known member %1: %2</source>
        <translation>WKA メンバー %1 に到達できません: %2</translation>
    </message>
    <message>
        <source>port %1 on %2 is in use here (%3); free it, or plan the node with another port</source>
        <translation>%2 のポート %1 はこのホストで使用中です（%3）。ポートを解放するか、別のポートでノードのプランを作成してください</translation>
    </message>
    <message>
        <source>the node&apos;s new files do not say which member it is; it stays %1: %2</source>
        <translation>ノードの新しいファイルには、どのメンバーであるかが記載されていません。%1 のままです: %2</translation>
    </message>
    <message>
        <source>the node&apos;s files name another member, but it stays %1: %2</source>
        <translation>ノードのファイルは別のメンバーを指定していますが、%1 のままです: %2</translation>
    </message>
    <message>
        <source>rejoined as %1 (was %2)</source>
        <translation>%1 として再参加しました（以前は %2）</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::ConsoleService</name>
    <message>
        <source>a %1 key is read-only; use the console key to change a node&apos;s files</source>
        <translation>%1 鍵は読み取り専用です。ノードのファイルを変更するにはコンソール鍵を使用してください</translation>
    </message>
    <message>
        <source>nothing changed: the files sent are the node&apos;s files already</source>
        <translation>変更なし: 送信されたファイルは既にノードのファイルと同じです</translation>
    </message>
    <message>
        <source>pushed; the previous versions are kept as backup %1</source>
        <translation>プッシュしました。以前のバージョンはバックアップ %1 として保持されています</translation>
    </message>
    <message>
        <source>nothing changed: the node&apos;s files already equal backup %1</source>
        <translation>変更なし: ノードのファイルは既にバックアップ %1 と同じです</translation>
    </message>
    <message>
        <source>rolled back to backup %1; what it replaced is backup %2</source>
        <translation>バックアップ %1 にロールバックしました。置き換えられた内容はバックアップ %2 です</translation>
    </message>
    <message>
        <source>unknown request &quot;%1&quot;</source>
        <translation>不明な要求「%1」</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::DatagramChannel</name>
    <message>
        <source>cannot bind UDP membership port %1:%2: %3</source>
        <translation>UDP メンバーシップポート %1:%2 にバインドできません: %3</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::HAProxySupervisor</name>
    <message>
        <source>cannot run %1: %2; install the haproxy package</source>
        <translation>%1 を実行できません: %2。haproxy パッケージをインストールしてください</translation>
    </message>
    <message>
        <source>HAProxy refuses %1: %2</source>
        <translation>HAProxy が %1 を拒否しました: %2</translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent (pid %1) still supervises HAProxy of %2 and would start it again: stop the agent first, then HAProxy</source>
        <translation>ロードバランサーのエージェント（pid %1）が %2 の HAProxy を監視しており、再起動してしまいます。先にエージェントを停止してから、HAProxy を停止してください</translation>
    </message>
    <message>
        <source>%1 names HAProxy (pid %2) of another configuration (%3); it was not stopped</source>
        <translation>%1 は別の構成（%3）の HAProxy（pid %2）を指しています。停止しませんでした</translation>
    </message>
    <message>
        <source>no HAProxy of %1 is running</source>
        <translation>%1 の HAProxy は実行されていません</translation>
    </message>
    <message>
        <source>HAProxy (pid %1) of %2 does not stop, even killed</source>
        <translation>%2 の HAProxy（pid %1）が kill しても停止しません</translation>
    </message>
    <message>
        <source>stopped HAProxy (pid %1) of %2</source>
        <translation>%2 の HAProxy（pid %1）を停止しました</translation>
    </message>
    <message>
        <source>an HAProxy already answers on %1, but %2 names no running master of %3: stop that HAProxy (or restore its pid file) and start again</source>
        <translation>%1 で既に HAProxy が応答していますが、%2 は %3 の実行中のマスタープロセスを指していません。その HAProxy を停止（または pid ファイルを復元）してから、再度起動してください</translation>
    </message>
    <message>
        <source>cannot run %1: %2</source>
        <translation>%1 を実行できません: %2</translation>
    </message>
    <message>
        <source>HAProxy did not start (exit code %1): %2</source>
        <translation>HAProxy が起動しませんでした（終了コード %1）: %2</translation>
    </message>
    <message>
        <source>HAProxy started but %1 names no running master of %2; see %3</source>
        <translation>HAProxy は起動しましたが、%1 は %2 の実行中のマスタープロセスを指していません。%3 を参照してください</translation>
    </message>
    <message>
        <source>HAProxy&apos;s master (pid %1) is gone</source>
        <translation>HAProxy のマスタープロセス（pid %1）が終了しました</translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket %1 did not answer</source>
        <translation>HAProxy の管理ソケット %1 が応答しませんでした</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::LoadBalancerDriver</name>
    <message>
        <source>adding %1 to %2: %3</source>
        <translation>%1 の %2 への追加: %3</translation>
    </message>
    <message>
        <source>removing %1 from %2: %3</source>
        <translation>%1 の %2 からの削除: %3</translation>
    </message>
    <message>
        <source>reading HAProxy&apos;s servers: %1</source>
        <translation>HAProxy のサーバーの読み取り: %1</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::LoadBalancerRole</name>
    <message>
        <source>cannot create %1</source>
        <translation>%1 を作成できません</translation>
    </message>
    <message>
        <source>another load balancer&apos;s agent (pid %1) supervises the HAProxy of %2</source>
        <translation>別のロードバランサーのエージェント（pid %1）が %2 の HAProxy を監視しています</translation>
    </message>
    <message>
        <source>took over the running HAProxy (pid %1)</source>
        <translation>実行中の HAProxy（pid %1）を引き継ぎました</translation>
    </message>
    <message>
        <source>loadbalancer.conf not applied, HAProxy keeps its configuration: %1</source>
        <translation>loadbalancer.conf は適用されず、HAProxy は現在の構成を維持します: %1</translation>
    </message>
    <message>
        <source>loadbalancer.conf names backends HAProxy does not have (%1); its runtime API cannot add them: reload HAProxy with the backends of %2 (its owner&apos;s job), then they are served</source>
        <translation>loadbalancer.conf に HAProxy にないバックエンド（%1）が記載されています。ランタイム API ではこれらを追加できません。%2 のバックエンドで HAProxy をリロードすると（所有者の作業です）、公開されます</translation>
    </message>
    <message>
        <source>loadbalancer.conf names new backends (%1) that need a reload of HAProxy by its owner; rendering them failed: %2</source>
        <translation>loadbalancer.conf に新しいバックエンド（%1）が記載されており、所有者による HAProxy のリロードが必要です。これらのレンダリングに失敗しました: %2</translation>
    </message>
    <message>
        <source>loadbalancer.conf applied by a seamless reload</source>
        <translation>シームレスリロードで loadbalancer.conf を適用しました</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::MembershipService</name>
    <message>
        <source>%1: cannot read the TLS key: %2</source>
        <translation>%1: TLS 鍵を読み込めません: %2</translation>
    </message>
    <message>
        <source>cannot listen on membership port %1:%2: %3</source>
        <translation>メンバーシップポート %1:%2 で待ち受けできません: %3</translation>
    </message>
    <message>
        <source>announced by a peer</source>
        <translation>ピアからの通知</translation>
    </message>
    <message>
        <source>joined through %1</source>
        <translation>%1 経由で参加しました</translation>
    </message>
    <message>
        <source>well-known member</source>
        <translation>WKA メンバー</translation>
    </message>
    <message>
        <source>listed by %1</source>
        <translation>%1 の一覧に記載</translation>
    </message>
    <message>
        <source>left the cluster</source>
        <translation>クラスターから離脱しました</translation>
    </message>
    <message>
        <source>replaced</source>
        <translation>置き換え済み</translation>
    </message>
    <message>
        <source>; listening on the old port %1 failed too (%2): the node takes no member connections until its agent is restarted</source>
        <translation>。以前のポート %1 での待ち受けも失敗しました（%2）。エージェントを再起動するまで、ノードはメンバーからの接続を受け付けません</translation>
    </message>
    <message>
        <source>no longer in this node&apos;s view after its configuration changed</source>
        <translation>構成の変更後、このノードのビューから外れました</translation>
    </message>
    <message>
        <source>rejoined as %1 after a configuration change</source>
        <translation>構成の変更後、%1 として再参加しました</translation>
    </message>
    <message>
        <source>its domain is no longer served</source>
        <translation>ドメインが公開されなくなりました</translation>
    </message>
    <message>
        <source>the load balancer&apos;s domains changed; join again</source>
        <translation>ロードバランサーのドメインが変更されました。再度参加してください</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::NodeHttpServer</name>
    <message>
        <source>Cannot listen on %1 port %2: %3</source>
        <translation>%1 ポート %2 で待ち受けできません: %3</translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::ProvisioningService</name>
    <message>
        <source>provisioning needs the console key in the key file</source>
        <translation>プロビジョニングには鍵ファイル内のコンソール鍵が必要です</translation>
    </message>
    <message>
        <source>cannot create %1/repository/conf</source>
        <translation>%1/repository/conf を作成できません</translation>
    </message>
    <message>
        <source>cannot listen on %1:%2 for provisioning: %3</source>
        <translation>プロビジョニング用に %1:%2 で待ち受けできません: %3</translation>
    </message>
    <message>
        <source>provisioned already</source>
        <translation>プロビジョニング済みです</translation>
    </message>
    <message>
        <source>this node has its configuration already; push through its own agent</source>
        <translation>このノードは既に構成済みです。ノード自身のエージェント経由でプッシュしてください</translation>
    </message>
    <message>
        <source>provisioned; connect to the node&apos;s membership port</source>
        <translation>プロビジョニング完了。ノードのメンバーシップポートに接続してください</translation>
    </message>
    <message>
        <source>this agent waits for its node&apos;s first configuration; push it (tribunectl node apply --to) and ask again</source>
        <translation>このエージェントはノードの最初の構成を待っています。構成をプッシュ（tribunectl node apply --to）してから、再度要求してください</translation>
    </message>
    <message>
        <source>not provisioned, nothing was written: the files do not make a node that can start:
  %1</source>
        <translation>プロビジョニングされず、何も書き込まれませんでした。このファイルでは起動可能なノードになりません:
  %1</translation>
    </message>
    <message numerus="yes">
        <source>provisioned: the node starts from the %n file(s) pushed</source>
        <translation>
            <numerusform>プロビジョニング完了: プッシュされた %n 個のファイルでノードが起動します</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tribune::Agent::SwimCore</name>
    <message>
        <source>replaced by a restarted incarnation</source>
        <translation>再起動した新しいインカーネーションに置き換えられました</translation>
    </message>
    <message>
        <source>answered with incarnation %1; the suspicion was wrong</source>
        <translation>インカーネーション %1 で応答しました。疑いは誤りでした</translation>
    </message>
    <message>
        <source>rejoined as %1 after a configuration change</source>
        <translation>構成の変更後、%1 として再参加しました</translation>
    </message>
    <message numerus="yes">
        <source>no answer to a direct or %n indirect probe(s)</source>
        <translation>
            <numerusform>直接プローブにも %n 件の間接プローブにも応答なし</numerusform>
        </translation>
    </message>
    <message>
        <source>suspected by %1</source>
        <translation>%1 により疑いあり</translation>
    </message>
    <message numerus="yes">
        <source>no answer to probes; suspected for %1 ms by %n member(s) without refutation (memberDropTime %2 ms)</source>
        <translation>
            <numerusform>プローブに応答なし。%n メンバーが反証なしで %1 ms 疑い続けました（memberDropTime %2 ms）</numerusform>
        </translation>
    </message>
    <message>
        <source>announced by a peer</source>
        <translation>ピアからの通知</translation>
    </message>
    <message>
        <source>declared failed by %1: no answer to its probes (memberDropTime %2 ms)</source>
        <translation>%1 により障害と判定: プローブに応答なし（memberDropTime %2 ms）</translation>
    </message>
    <message>
        <source>left the cluster</source>
        <translation>クラスターから離脱しました</translation>
    </message>
    <message>
        <source>heard from directly</source>
        <translation>本人から直接受信</translation>
    </message>
</context>
<context>
    <name>Tribune::Cli</name>
    <message>
        <source>Prints the membership view, then every change, one JSON object per line.</source>
        <translation>メンバーシップビューを出力し、続いてすべての変更を 1 行に 1 つの JSON オブジェクトで出力します。</translation>
    </message>
    <message>
        <source>Stop after N events.</source>
        <translation>N 件のイベントの後に停止します。</translation>
    </message>
    <message>
        <source>%1: %2; reconnecting</source>
        <translation>%1: %2。再接続しています</translation>
    </message>
    <message>
        <source>Prints the membership view once.</source>
        <translation>メンバーシップビューを 1 回出力します。</translation>
    </message>
    <message>
        <source>Print one JSON document.</source>
        <translation>1 つの JSON ドキュメントとして出力します。</translation>
    </message>
    <message>
        <source>MEMBER</source>
        <translation>メンバー</translation>
    </message>
    <message>
        <source>STATE</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>DOMAIN</source>
        <translation>ドメイン</translation>
    </message>
    <message>
        <source>SUB-DOMAIN</source>
        <translation>サブドメイン</translation>
    </message>
    <message>
        <source>HTTP/HTTPS</source>
        <translation>HTTP/HTTPS</translation>
    </message>
    <message>
        <source>Prints a node&apos;s health: uptime, CPU, memory, probe round trips, probes and gossip sent.</source>
        <translation>ノードのヘルスを出力します: 稼働時間、CPU、メモリ、プローブの往復時間、送信したプローブとゴシップ。</translation>
    </message>
    <message>
        <source>Writes a fresh cluster key file (mode 0600) with member, console and viewer keys.</source>
        <translation>メンバー、コンソール、閲覧者の鍵を含む新しいクラスター鍵ファイル（モード 0600）を書き出します。</translation>
    </message>
    <message>
        <source>Where to write the keys.</source>
        <translation>鍵の書き込み先。</translation>
    </message>
    <message>
        <source>Take the keys from this key file instead of new ones.</source>
        <translation>新しい鍵を生成せず、この鍵ファイルから鍵を取得します。</translation>
    </message>
    <message>
        <source>Keep only this role&apos;s key (e.g. a viewer&apos;s file).</source>
        <translation>このロールの鍵のみを残します（例: 閲覧者用のファイル）。</translation>
    </message>
    <message>
        <source>keygen: name one FILE</source>
        <translation>keygen: FILE を 1 つ指定してください</translation>
    </message>
    <message>
        <source>keygen: unknown role &quot;%1&quot;; use member, console or viewer</source>
        <translation>keygen: 不明なロール「%1」。member、console、viewer のいずれかを使用してください</translation>
    </message>
    <message>
        <source>Reads or changes a node&apos;s configuration files through its agent.</source>
        <translation>ノードの構成ファイルを、そのエージェント経由で読み取りまたは変更します。</translation>
    </message>
    <message>
        <source>get, push, backups, backup, rollback, diff or set</source>
        <translation>get、push、backups、backup、rollback、diff、set のいずれか</translation>
    </message>
    <message>
        <source>get: write the files under this folder.</source>
        <translation>get: このフォルダーの下にファイルを書き込みます。</translation>
    </message>
    <message>
        <source>push: a repository/conf folder to send files from.</source>
        <translation>push: 送信するファイルを含む repository/conf フォルダー。</translation>
    </message>
    <message>
        <source>backup: the backup to read; rollback: the backup to restore.</source>
        <translation>backup: 読み取るバックアップ。rollback: 復元するバックアップ。</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1: 読み込めません: %2</translation>
    </message>
    <message>
        <source>config: use get [--out DIR], push --from DIR [FILE...], backups, backup --number N [--out DIR], or rollback --number N</source>
        <translation>config: get [--out DIR]、push --from DIR [FILE...]、backups、backup --number N [--out DIR]、または rollback --number N を使用してください</translation>
    </message>
    <message>
        <source>%1: not written: %2</source>
        <translation>%1: 書き込みませんでした: %2</translation>
    </message>
    <message>
        <source>%1: absent in the backup</source>
        <translation>%1: バックアップにありません</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: 書き込めません: %2</translation>
    </message>
    <message>
        <source>The agent&apos;s membership port, HOST:PORT.</source>
        <translation>エージェントのメンバーシップポート（HOST:PORT）。</translation>
    </message>
    <message>
        <source>The cluster key file (mode 0600).</source>
        <translation>クラスター鍵ファイル（モード 0600）。</translation>
    </message>
    <message>
        <source>console or viewer (default: the strongest key in the file).</source>
        <translation>console または viewer（既定: ファイル内で最も強い鍵）。</translation>
    </message>
    <message>
        <source>Use TLS, trusting this certificate authority (PEM).</source>
        <translation>TLS を使用し、この認証局（PEM）を信頼します。</translation>
    </message>
    <message>
        <source>--%1 and --key-file are required; see --help</source>
        <translation>--%1 と --key-file が必要です。--help を参照してください</translation>
    </message>
    <message>
        <source>no usable key for role &quot;%1&quot; in %2</source>
        <translation>%2 にロール「%1」で使用できる鍵がありません</translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation>拒否されました: %1</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Resolve host names with this file (/etc/hosts format) alone, instead of the cluster folder&apos;s hosts file or the system resolver.</source>
        <translation>クラスターフォルダーの hosts ファイルやシステムのリゾルバーの代わりに、このファイル（/etc/hosts 形式）のみでホスト名を解決します。</translation>
    </message>
    <message>
        <source>name at least one PATH, or --seed HOST:PORT with --key-file for the running cluster; see --help</source>
        <translation>PATH を 1 つ以上指定するか、稼働中のクラスターの場合は --seed HOST:PORT と --key-file を指定してください。--help を参照してください</translation>
    </message>
    <message>
        <source>%1: not a node&apos;s folder (no repository/conf/axis2/axis2.xml or carbon.xml)</source>
        <translation>%1: ノードのフォルダーではありません（repository/conf/axis2/axis2.xml も carbon.xml もありません）</translation>
    </message>
    <message>
        <source>Shows how two nodes&apos; configuration files differ, or a folder from a node&apos;s live files.</source>
        <translation>2 つのノードの構成ファイルの差分、またはフォルダーとノードのライブファイルとの差分を表示します。</translation>
    </message>
    <message>
        <source>Two node folders, unless --node and --from.</source>
        <translation>2 つのノードフォルダー（--node と --from を使用しない場合）。</translation>
    </message>
    <message>
        <source>The folder to hold against the node&apos;s live files.</source>
        <translation>ノードのライブファイルと比較するフォルダー。</translation>
    </message>
    <message>
        <source>config diff: name two node folders, or --node HOST:PORT --key-file K --from DIR</source>
        <translation>config diff: 2 つのノードフォルダー、または --node HOST:PORT --key-file K --from DIR を指定してください</translation>
    </message>
    <message>
        <source>config diff: --node needs --from DIR and no other folder</source>
        <translation>config diff: --node には --from DIR が必要で、他のフォルダーは指定できません</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>Changes one node&apos;s files of the running cluster by typed edits, validated against the whole cluster before anything is written.</source>
        <translation>稼働中のクラスターの 1 つのノードのファイルを型付き編集で変更します。書き込む前にクラスター全体に対して検証します。</translation>
    </message>
    <message>
        <source>FILE:KEY=VALUE, e.g. axis2.xml:localMemberPort=4010.</source>
        <translation>FILE:KEY=VALUE（例: axis2.xml:localMemberPort=4010）。</translation>
    </message>
    <message>
        <source>The node to change: its name or HOST:PORT.</source>
        <translation>変更するノード: 名前または HOST:PORT。</translation>
    </message>
    <message>
        <source>Show the plan; write nothing.</source>
        <translation>プランを表示するだけで、何も書き込みません。</translation>
    </message>
    <message>
        <source>config set: %1</source>
        <translation>config set: %1</translation>
    </message>
    <message>
        <source>config set: use --seed S --key-file K --node NODE FILE:KEY=VALUE...; see --help</source>
        <translation>config set: --seed S --key-file K --node NODE FILE:KEY=VALUE... を使用してください。--help を参照してください</translation>
    </message>
    <message>
        <source>What the change brings:</source>
        <translation>この変更による検出事項:</translation>
    </message>
    <message>
        <source>config set: not written: the change would bring errors to the cluster</source>
        <translation>config set: 書き込みませんでした: この変更によりクラスターにエラーが発生します</translation>
    </message>
    <message>
        <source>Nothing to change.</source>
        <translation>変更する内容はありません。</translation>
    </message>
    <message>
        <source>Checks a node&apos;s databases: reachable, credentials, database, registry tables; creates missing ones when asked.</source>
        <translation>ノードのデータベースを検査します: 到達可能性、認証情報、データベース、レジストリのテーブル。指定があれば不足しているものを作成します。</translation>
    </message>
    <message>
        <source>The action: check.</source>
        <translation>アクション: check。</translation>
    </message>
    <message>
        <source>The node&apos;s CARBON_HOME or repository/conf.</source>
        <translation>ノードの CARBON_HOME または repository/conf。</translation>
    </message>
    <message>
        <source>Create missing databases and grant their users (needs --admin-user; the password is read from standard input).</source>
        <translation>不足しているデータベースを作成し、そのユーザーに権限を付与します（--admin-user が必要です。パスワードは標準入力から読み込みます）。</translation>
    </message>
    <message>
        <source>The database administrator.</source>
        <translation>データベース管理者。</translation>
    </message>
    <message>
        <source>With --seed: the live node, by name or HOST:PORT.</source>
        <translation>--seed 使用時: 稼働中のノード（名前または HOST:PORT）。</translation>
    </message>
    <message>
        <source>db: use check --node-dir DIR, or check --seed S --key-file K --node NODE, [--create --admin-user USER]; see --help</source>
        <translation>db: check --node-dir DIR、または check --seed S --key-file K --node NODE を使用してください [--create --admin-user USER]。--help を参照してください</translation>
    </message>
    <message>
        <source>no such node in the running cluster</source>
        <translation>稼働中のクラスターにそのようなノードはありません</translation>
    </message>
    <message>
        <source>%1: the node has no master-datasources.xml</source>
        <translation>%1: ノードに master-datasources.xml がありません</translation>
    </message>
    <message>
        <source>db: the node could not be read</source>
        <translation>db: ノードを読み込めませんでした</translation>
    </message>
    <message>
        <source>db: cannot read the administrator&apos;s password from standard input</source>
        <translation>db: 標準入力から管理者のパスワードを読み込めません</translation>
    </message>
    <message>
        <source>%1: created database %2 and granted %3</source>
        <translation>%1: データベース %2 を作成し、%3 に権限を付与しました</translation>
    </message>
    <message>
        <source>The history: sqlite:///path/history.sqlite, mysql://user:password@host:port/database or postgresql://...; default: the SQLite file the console uses, %1.</source>
        <translation>履歴: sqlite:///path/history.sqlite、mysql://user:password@host:port/database、または postgresql://...。既定: コンソールが使用する SQLite ファイル %1。</translation>
    </message>
    <message>
        <source>Only from T on: ISO 8601 such as 2026-11-23T10:00:00Z (without Z or an offset: local time), or an age before now such as 15m, 2h or 1d.</source>
        <translation>T 以降のみ: 2026-11-23T10:00:00Z のような ISO 8601 形式（Z やオフセットがなければローカル時刻）、または 15m、2h、1d のような現在からの経過時間。</translation>
    </message>
    <message>
        <source>Only up to T, in the forms --from takes.</source>
        <translation>T までのみ（--from と同じ形式）。</translation>
    </message>
    <message>
        <source>history %1: unexpected argument &quot;%2&quot;; see --help</source>
        <translation>history %1: 予期しない引数「%2」。--help を参照してください</translation>
    </message>
    <message>
        <source>history %1: --%2 &quot;%3&quot; is not a time; use ISO 8601 such as 2026-11-23T10:00:00Z, or an age before now such as 90s, 15m, 2h or 1d</source>
        <translation>history %1: --%2 の値「%3」は時刻ではありません。2026-11-23T10:00:00Z のような ISO 8601 形式、または 90s、15m、2h、1d のような現在からの経過時間を使用してください</translation>
    </message>
    <message>
        <source>Opens the history, creating its tables if need be, and tells where it is and what it holds.</source>
        <translation>履歴を開き（必要に応じてテーブルを作成します）、その場所と内容を表示します。</translation>
    </message>
    <message>
        <source>History: %1</source>
        <translation>履歴: %1</translation>
    </message>
    <message>
        <source>Events: %1, from %2 to %3</source>
        <translation>イベント: %1 件（%2 から %3 まで）</translation>
    </message>
    <message>
        <source>Events: none</source>
        <translation>イベント: なし</translation>
    </message>
    <message>
        <source>Samples: %1 one-second rows and %2 one-minute rows, from %3 to %4</source>
        <translation>サンプル: 1 秒単位 %1 行、1 分単位 %2 行（%3 から %4 まで）</translation>
    </message>
    <message>
        <source>Samples: none</source>
        <translation>サンプル: なし</translation>
    </message>
    <message>
        <source>Prints the events in the history, newest first.</source>
        <translation>履歴内のイベントを新しい順に出力します。</translation>
    </message>
    <message>
        <source>Only events whose member, reason or kind contains TEXT, ignoring case.</source>
        <translation>メンバー、理由、種類のいずれかに TEXT を含むイベントのみ（大文字と小文字は区別しません）。</translation>
    </message>
    <message>
        <source>At most N events, the newest (default %1; 0 for all).</source>
        <translation>新しいものから最大 N 件のイベント（既定: %1、0 ですべて）。</translation>
    </message>
    <message>
        <source>history events: --limit &quot;%1&quot; is not a number of events; use a whole number, 0 for all</source>
        <translation>history events: --limit の値「%1」はイベント数ではありません。整数を指定してください（0 ですべて）</translation>
    </message>
    <message>
        <source>No events.</source>
        <translation>イベントはありません。</translation>
    </message>
    <message>
        <source>TIME</source>
        <translation>時刻</translation>
    </message>
    <message>
        <source>KIND</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>DOMAIN/SUB-DOMAIN</source>
        <translation>ドメイン/サブドメイン</translation>
    </message>
    <message>
        <source>REASON</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Prints a member&apos;s traffic samples in time order; for several members, their sum (response time: the members&apos; average).</source>
        <translation>メンバーのトラフィックサンプルを時系列で出力します。複数のメンバーの場合はその合計です（応答時間はメンバーの平均）。</translation>
    </message>
    <message>
        <source>A member&apos;s id (repeatable).</source>
        <translation>メンバーの ID（複数指定可）。</translation>
    </message>
    <message>
        <source>history samples: name at least one --member ID; see --help</source>
        <translation>history samples: --member ID を 1 つ以上指定してください。--help を参照してください</translation>
    </message>
    <message>
        <source>No samples.</source>
        <translation>サンプルはありません。</translation>
    </message>
    <message>
        <source>REQUESTS/S</source>
        <translation>リクエスト/s</translation>
    </message>
    <message>
        <source>SESSIONS</source>
        <translation>セッション</translation>
    </message>
    <message>
        <source>BYTES IN/S</source>
        <translation>受信バイト/s</translation>
    </message>
    <message>
        <source>BYTES OUT/S</source>
        <translation>送信バイト/s</translation>
    </message>
    <message>
        <source>5XX/S</source>
        <translation>5XX/s</translation>
    </message>
    <message>
        <source>RESPONSE MS</source>
        <translation>応答 ms</translation>
    </message>
    <message>
        <source>history: name an action first</source>
        <translation>history: 先にアクションを指定してください</translation>
    </message>
    <message>
        <source>history: unknown action &quot;%1&quot;</source>
        <translation>history: 不明なアクション「%1」</translation>
    </message>
    <message>
        <source>Usage: tribunectl history ACTION [OPTIONS]

Actions:
  check     where the history is and what it holds
  events    the event log, newest first
  samples   a member&apos;s traffic samples, or several members&apos; sum

Run &apos;tribunectl history ACTION --help&apos; for an action&apos;s options.
</source>
        <translation>使い方: tribunectl history ACTION [OPTIONS]

アクション:
  check     履歴の場所と内容
  events    イベントログ（新しい順）
  samples   メンバーのトラフィックサンプル、または複数メンバーの合計

各アクションのオプションは &apos;tribunectl history ACTION --help&apos; で確認できます。
</translation>
    </message>
    <message>
        <source>BACKEND/SERVER</source>
        <translation>バックエンド/サーバー</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>ステータス</translation>
    </message>
    <message>
        <source>CHECK</source>
        <translation>チェック</translation>
    </message>
    <message>
        <source>WEIGHT</source>
        <translation>重み</translation>
    </message>
    <message>
        <source>SESS</source>
        <translation>セッション</translation>
    </message>
    <message>
        <source>RATE</source>
        <translation>レート</translation>
    </message>
    <message>
        <source>BYTES IN</source>
        <translation>受信バイト</translation>
    </message>
    <message>
        <source>BYTES OUT</source>
        <translation>送信バイト</translation>
    </message>
    <message>
        <source>Shows and changes the load balancer&apos;s servers through HAProxy&apos;s admin socket.</source>
        <translation>HAProxy の管理ソケット経由で、ロードバランサーのサーバーを表示・変更します。</translation>
    </message>
    <message>
        <source>status, drain, ready, maint or weight</source>
        <translation>status、drain、ready、maint、weight のいずれか</translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket.</source>
        <translation>HAProxy の管理ソケット。</translation>
    </message>
    <message>
        <source>status: print one JSON document.</source>
        <translation>status: 1 つの JSON ドキュメントとして出力します。</translation>
    </message>
    <message>
        <source>lb: --socket PATH|HOST:PORT is required</source>
        <translation>lb: --socket PATH|HOST:PORT が必要です</translation>
    </message>
    <message>
        <source>lb: use status, drain|ready|maint BACKEND/SERVER, or weight BACKEND/SERVER N</source>
        <translation>lb: status、drain|ready|maint BACKEND/SERVER、または weight BACKEND/SERVER N を使用してください</translation>
    </message>
    <message>
        <source>%1: no such server</source>
        <translation>%1: そのようなサーバーはありません</translation>
    </message>
    <message>
        <source>Pushes a plan (written by node plan --out) to the nodes it changes, with the whole running cluster validated first, and follows the node into the cluster: files written, joined, seen by every member, in HAProxy, UP.</source>
        <translation>プラン（node plan --out で作成）を、変更対象のノードにプッシュします。事前に稼働中のクラスター全体を検証し、ノードがクラスターに入るまでを追跡します: ファイルの書き込み、参加、全メンバーによる認識、HAProxy への登録、UP。</translation>
    </message>
    <message>
        <source>The action: apply.</source>
        <translation>アクション: apply。</translation>
    </message>
    <message>
        <source>The plan: a folder, or its .tar.gz.</source>
        <translation>プラン: フォルダーまたはその .tar.gz。</translation>
    </message>
    <message>
        <source>The new node&apos;s provisioning agent (tribune-agent --provision --listen HOST:PORT).</source>
        <translation>新しいノードのプロビジョニング用エージェント（tribune-agent --provision --listen HOST:PORT）。</translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket (default: the one the load balancer&apos;s agent names).</source>
        <translation>HAProxy の管理ソケット（既定: ロードバランサーのエージェントが示すもの）。</translation>
    </message>
    <message>
        <source>Wait until HAProxy has sent the node a request.</source>
        <translation>HAProxy がノードにリクエストを送信するまで待機します。</translation>
    </message>
    <message>
        <source>Give up after this long (default: 60).</source>
        <translation>この秒数が経過したら打ち切ります（既定: 60）。</translation>
    </message>
    <message>
        <source>node apply: use --seed S --key-file K --plan DIR [--to HOST:PORT] [--lb-socket PATH] [--wait-request] [--timeout SECONDS]; see --help</source>
        <translation>node apply: --seed S --key-file K --plan DIR [--to HOST:PORT] [--lb-socket PATH] [--wait-request] [--timeout SECONDS] を使用してください。--help を参照してください</translation>
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
        <source>What the plan brings:</source>
        <translation>このプランによる検出事項:</translation>
    </message>
    <message>
        <source>node apply: nothing was pushed: the plan would bring errors to the cluster</source>
        <translation>node apply: 何もプッシュしませんでした: このプランによりクラスターにエラーが発生します</translation>
    </message>
    <message>
        <source>Plans a new node like an existing one: free ports on its server, its own local registry, the diff and the whole cluster&apos;s findings.</source>
        <translation>既存のノードと同様の新しいノードのプランを作成します: サーバー上の空きポート、専用のローカルレジストリ、差分、クラスター全体の検出事項。</translation>
    </message>
    <message>
        <source>The action: plan.</source>
        <translation>アクション: plan。</translation>
    </message>
    <message>
        <source>The cluster&apos;s folder (or node folders), unless --seed.</source>
        <translation>クラスターのフォルダー（またはノードのフォルダー）。--seed を指定しない場合に使用します。</translation>
    </message>
    <message>
        <source>The node to take as a template.</source>
        <translation>テンプレートとして使用するノード。</translation>
    </message>
    <message>
        <source>The new node&apos;s host: an address or a name.</source>
        <translation>新しいノードのホスト: アドレスまたは名前。</translation>
    </message>
    <message>
        <source>The new node&apos;s folder name (default: NODE-2, ...).</source>
        <translation>新しいノードのフォルダー名（既定: NODE-2、...）。</translation>
    </message>
    <message>
        <source>Its sub-domain (default: the template&apos;s).</source>
        <translation>サブドメイン（既定: テンプレートと同じ）。</translation>
    </message>
    <message>
        <source>Write DIR/plan.json and DIR/NAME/repository/conf/ (or the same as an archive, when DIR ends in .tar.gz).</source>
        <translation>DIR/plan.json と DIR/NAME/repository/conf/ を書き出します（DIR が .tar.gz で終わる場合は同じ内容をアーカイブとして書き出します）。</translation>
    </message>
    <message>
        <source>Print the plan as one JSON document.</source>
        <translation>プランを 1 つの JSON ドキュメントとして出力します。</translation>
    </message>
    <message>
        <source>Override a planned value: FILE:KEY=VALUE (see docs/TYPED-EDITS.md); repeatable.</source>
        <translation>プランの値を上書きします: FILE:KEY=VALUE（docs/TYPED-EDITS.md を参照）。複数指定可。</translation>
    </message>
    <message>
        <source>node: use plan [PATH...|--seed S --key-file K] --like NODE --host HOST; see --help</source>
        <translation>node: plan [PATH...|--seed S --key-file K] --like NODE --host HOST を使用してください。--help を参照してください</translation>
    </message>
    <message>
        <source>node plan: --set: %1</source>
        <translation>node plan: --set: %1</translation>
    </message>
    <message>
        <source>node plan: %1</source>
        <translation>node plan: %1</translation>
    </message>
    <message>
        <source>New node %1 like %2 on server %3:</source>
        <translation>サーバー %3 上の新しいノード %1（%2 と同様）:</translation>
    </message>
    <message>
        <source>  localMemberHost %1, membership port %2, port offset %3, sub-domain %4</source>
        <translation>  localMemberHost %1、メンバーシップポート %2、ポートオフセット %3、サブドメイン %4</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>（既定）</translation>
    </message>
    <message>
        <source>  local registry on a database of its own: %1</source>
        <translation>  専用データベース上のローカルレジストリ: %1</translation>
    </message>
    <message>
        <source>The plan brings no finding.</source>
        <translation>このプランによる検出事項はありません。</translation>
    </message>
    <message>
        <source>install: writes the drop-in that runs a node&apos;s agent under systemd, as tribune-agent@INSTANCE.service, as the user that owns CARBON_HOME.</source>
        <translation>install: CARBON_HOME を所有するユーザーとしてノードのエージェントを systemd で実行するドロップイン（tribune-agent@INSTANCE.service）を書き出します。</translation>
    </message>
    <message>
        <source>install</source>
        <translation>install</translation>
    </message>
    <message>
        <source>The node&apos;s folder.</source>
        <translation>ノードのフォルダー。</translation>
    </message>
    <message>
        <source>The cluster key file the agent reads (default: /etc/tribune/cluster.keys).</source>
        <translation>エージェントが読み込むクラスター鍵ファイル（既定: /etc/tribune/cluster.keys）。</translation>
    </message>
    <message>
        <source>The node is the load balancer: the agent drives HAProxy, which may bind ports 80 and 443 and outlives a restart of the agent.</source>
        <translation>ノードがロードバランサーであることを示します: エージェントが HAProxy を制御します。HAProxy はポート 80 と 443 にバインドすることがあり、エージェントを再起動しても動作し続けます。</translation>
    </message>
    <message>
        <source>Write into the system installed under DIR, not /.</source>
        <translation>/ ではなく、DIR 配下にインストールされたシステムに書き込みます。</translation>
    </message>
    <message>
        <source>tribunectl service: usage: tribunectl service install CARBON_HOME [--key-file FILE] [--lb] [--root DIR]</source>
        <translation>tribunectl service: 使い方: tribunectl service install CARBON_HOME [--key-file FILE] [--lb] [--root DIR]</translation>
    </message>
    <message>
        <source>tribunectl service: %1 is not an absolute path; the unit names the node&apos;s folder as the system sees it.</source>
        <translation>tribunectl service: %1 は絶対パスではありません。ユニットには、システムから見たノードのフォルダーが記述されます。</translation>
    </message>
    <message>
        <source>tribunectl service: %1 is not a folder; give the node&apos;s CARBON_HOME.</source>
        <translation>tribunectl service: %1 はフォルダーではありません。ノードの CARBON_HOME を指定してください。</translation>
    </message>
    <message>
        <source>tribunectl service: %1 has no repository/conf; give the node&apos;s CARBON_HOME.</source>
        <translation>tribunectl service: %1 に repository/conf がありません。ノードの CARBON_HOME を指定してください。</translation>
    </message>
    <message>
        <source>tribunectl service: %1 belongs to root; the agent runs as the node&apos;s own user. Give the node&apos;s folder to that user (chown -R USER: %1) and try again.</source>
        <translation>tribunectl service: %1 の所有者は root です。エージェントはノード自身のユーザーで実行されます。ノードのフォルダーの所有者をそのユーザーに変更し（chown -R USER: %1）、やり直してください。</translation>
    </message>
    <message>
        <source>tribunectl service: cannot create %1; run as root.</source>
        <translation>tribunectl service: %1 を作成できません。root として実行してください。</translation>
    </message>
    <message>
        <source>tribunectl service: cannot write %1: %2</source>
        <translation>tribunectl service: %1 に書き込めません: %2</translation>
    </message>
    <message>
        <source>Wrote %1: the agent of %2 runs as %3.</source>
        <translation>%1 を書き出しました: %2 のエージェントはユーザー %3 として実行されます。</translation>
    </message>
    <message>
        <source>The key file %1 does not exist yet: copy the cluster&apos;s key file there, readable by %2 only.</source>
        <translation>鍵ファイル %1 はまだ存在しません: クラスターの鍵ファイルをそこにコピーし、%2 のみが読み取れるようにしてください。</translation>
    </message>
    <message>
        <source>Start it with: systemctl daemon-reload &amp;&amp; systemctl enable --now &apos;%1&apos;</source>
        <translation>次のコマンドで起動してください: systemctl daemon-reload &amp;&amp; systemctl enable --now &apos;%1&apos;</translation>
    </message>
    <message>
        <source>Writes a snapshot of the running cluster to one file: members, health, HAProxy&apos;s view, every node&apos;s files (passwords redacted), the findings, and the events and samples of a window from the history.</source>
        <translation>稼働中のクラスターのスナップショットを 1 つのファイルに書き出します: メンバー、ヘルス、HAProxy から見た状態、全ノードのファイル（パスワードは伏せ字）、検出事項、履歴から取得した一定期間のイベントとサンプル。</translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket (PATH or HOST:PORT).</source>
        <translation>HAProxy の管理ソケット（PATH または HOST:PORT）。</translation>
    </message>
    <message>
        <source>The history to take events and samples from (default: the console&apos;s own; none: leave them out).</source>
        <translation>イベントとサンプルの取得元となる履歴（既定: コンソール自身の履歴。none: 含めない）。</translation>
    </message>
    <message>
        <source>Events and one-second samples over the first span, one-minute samples over the second (default 10m,24h).</source>
        <translation>1 つ目の期間のイベントと 1 秒単位のサンプル、2 つ目の期間の 1 分単位のサンプル（既定: 10m,24h）。</translation>
    </message>
    <message>
        <source>Keep the files&apos; passwords (the snapshot then says so wherever it is shown).</source>
        <translation>ファイルのパスワードを残します（その場合、スナップショットは表示される場所すべてでその旨を示します）。</translation>
    </message>
    <message>
        <source>The snapshot file to write.</source>
        <translation>書き出すスナップショットファイル。</translation>
    </message>
    <message>
        <source>Who takes it (default: the user&apos;s name).</source>
        <translation>取得者（既定: ユーザー名）。</translation>
    </message>
    <message>
        <source>snapshot export: use --seed HOST:PORT --key-file K -o FILE; see --help</source>
        <translation>snapshot export: --seed HOST:PORT --key-file K -o FILE を使用してください。--help を参照してください</translation>
    </message>
    <message>
        <source>snapshot export: --window %1: use SPAN or SPAN,SPAN with s, m, h or d (e.g. 10m,24h)</source>
        <translation>snapshot export: --window %1: SPAN または SPAN,SPAN を s、m、h、d で指定してください（例: 10m,24h）</translation>
    </message>
    <message>
        <source>snapshot export: %1; nothing was written</source>
        <translation>snapshot export: %1。何も書き込みませんでした</translation>
    </message>
    <message>
        <source>snapshot export: %1</source>
        <translation>snapshot export: %1</translation>
    </message>
    <message>
        <source>not in the snapshot: %1</source>
        <translation>スナップショットに含まれないもの: %1</translation>
    </message>
    <message>
        <source>%1: %2 members, %3 nodes&apos; files, %4 findings, %5 events, %6 samples%7</source>
        <translation>%1: メンバー %2、%3 ノード分のファイル、検出事項 %4 件、イベント %5 件、サンプル %6 件%7</translation>
    </message>
    <message>
        <source>; passwords included</source>
        <translation>、パスワードを含む</translation>
    </message>
    <message>
        <source>Prints what a snapshot holds: when and who, the members, findings and events.</source>
        <translation>スナップショットの内容を表示します: 取得日時と取得者、メンバー、検出事項、イベント。</translation>
    </message>
    <message>
        <source>A .tribune-snapshot file.</source>
        <translation>.tribune-snapshot ファイル。</translation>
    </message>
    <message>
        <source>As one JSON document (docs/SNAPSHOT.md).</source>
        <translation>1 つの JSON ドキュメントとして出力します（docs/SNAPSHOT.md）。</translation>
    </message>
    <message>
        <source>snapshot show: name one FILE</source>
        <translation>snapshot show: FILE を 1 つ指定してください</translation>
    </message>
    <message>
        <source>snapshot show: %1</source>
        <translation>snapshot show: %1</translation>
    </message>
    <message>
        <source>THIS SNAPSHOT HOLDS PASSWORDS: share it as you would share them.</source>
        <translation>このスナップショットにはパスワードが含まれています。パスワードそのものと同様に慎重に共有してください。</translation>
    </message>
    <message>
        <source>Snapshot of %1, taken %2 by %3 (events from %4)</source>
        <translation>%1 のスナップショット（%2 に %3 が取得、イベントは %4 以降）</translation>
    </message>
    <message>
        <source>someone</source>
        <translation>不明なユーザー</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>メンバー</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>Findings: %1</source>
        <translation>検出事項: %1</translation>
    </message>
    <message>
        <source>Events: %1, samples: %2</source>
        <translation>イベント: %1、サンプル: %2</translation>
    </message>
    <message>
        <source>Not in the snapshot: %1</source>
        <translation>スナップショットに含まれないもの: %1</translation>
    </message>
    <message>
        <source>Shows what changed between two snapshots: members added, removed or changed, each domain&apos;s traffic side by side, each node&apos;s files, findings new and resolved. Exit 1 when members, files or findings differ.</source>
        <translation>2 つのスナップショット間の変更を表示します: 追加・削除・変更されたメンバー、各ドメインのトラフィックの比較、各ノードのファイル、新規および解決済みの検出事項。メンバー、ファイル、検出事項のいずれかが異なる場合は終了コード 1 を返します。</translation>
    </message>
    <message>
        <source>The earlier snapshot.</source>
        <translation>古い方のスナップショット。</translation>
    </message>
    <message>
        <source>The later snapshot.</source>
        <translation>新しい方のスナップショット。</translation>
    </message>
    <message>
        <source>snapshot diff: name two snapshot files, the earlier first</source>
        <translation>snapshot diff: 2 つのスナップショットファイルを古い順に指定してください</translation>
    </message>
    <message>
        <source>snapshot diff: %1</source>
        <translation>snapshot diff: %1</translation>
    </message>
    <message>
        <source>Writes a snapshot&apos;s members, events and samples as CSV files (members.csv, events.csv, samples.csv) into a folder.</source>
        <translation>スナップショットのメンバー、イベント、サンプルを CSV ファイル（members.csv、events.csv、samples.csv）としてフォルダーに書き出します。</translation>
    </message>
    <message>
        <source>The folder to write the CSV files into.</source>
        <translation>CSV ファイルの書き込み先フォルダー。</translation>
    </message>
    <message>
        <source>snapshot report: use --csv DIR FILE</source>
        <translation>snapshot report: --csv DIR FILE を使用してください</translation>
    </message>
    <message>
        <source>snapshot report: %1</source>
        <translation>snapshot report: %1</translation>
    </message>
    <message>
        <source>wrote %1 (%2 members, %3 events, %4 samples)</source>
        <translation>%1 を書き出しました（メンバー %2、イベント %3 件、サンプル %4 件）</translation>
    </message>
    <message>
        <source>snapshot: use export --seed S --key-file K -o FILE, show FILE [--json], diff A B, or report --csv DIR FILE</source>
        <translation>snapshot: export --seed S --key-file K -o FILE、show FILE [--json]、diff A B、または report --csv DIR FILE を使用してください</translation>
    </message>
    <message>
        <source>Sends a steady stream of requests through the load balancer.</source>
        <translation>ロードバランサー経由で一定のペースでリクエストを送り続けます。</translation>
    </message>
    <message>
        <source>The load balancer&apos;s HTTP listener.</source>
        <translation>ロードバランサーの HTTP リスナー。</translation>
    </message>
    <message>
        <source>A Host header to send (repeatable).</source>
        <translation>送信する Host ヘッダー（複数指定可）。</translation>
    </message>
    <message>
        <source>Requests per second per host (default 3).</source>
        <translation>ホストごとの毎秒リクエスト数（既定: 3）。</translation>
    </message>
    <message>
        <source>A tenant domain to use for some requests (repeatable).</source>
        <translation>一部のリクエストで使用するテナントドメイン（複数指定可）。</translation>
    </message>
    <message>
        <source>Stop after S seconds (default: until interrupted).</source>
        <translation>S 秒後に停止します（既定: 中断されるまで）。</translation>
    </message>
    <message>
        <source>traffic: give --target HOST:PORT, at least one --host, and a --rate between 0 and 1000</source>
        <translation>traffic: --target HOST:PORT、1 つ以上の --host、0 から 1000 までの --rate を指定してください</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>失敗 %1</translation>
    </message>
    <message>
        <source>traffic: %1 requests sent (%2)</source>
        <translation>traffic: %1 件のリクエストを送信しました（%2）</translation>
    </message>
    <message>
        <source>Checks a cluster&apos;s configuration files against each other.</source>
        <translation>クラスターの構成ファイルを相互に照合して検証します。</translation>
    </message>
    <message>
        <source>A node&apos;s folder (CARBON_HOME or its repository/conf), a loadbalancer.conf, or a folder holding a whole cluster.</source>
        <translation>ノードのフォルダー（CARBON_HOME またはその repository/conf）、loadbalancer.conf、またはクラスター全体を含むフォルダー。</translation>
    </message>
    <message>
        <source>tribunectl service: %1 is not an absolute path; the agent starts in /, so give the key file&apos;s full path.</source>
        <translation>tribunectl service: %1 は絶対パスではありません。エージェントは / で起動するため、鍵ファイルのフルパスを指定してください。</translation>
    </message>
    <message>
        <source>tribunectl service: a path with a line break or another control character cannot stand in a unit file; rename the folder.</source>
        <translation>tribunectl service: 改行などの制御文字を含むパスはユニットファイルに書けません。フォルダーの名前を変更してください。</translation>
    </message>
    <message>
        <source>tribunectl service: the agent runs as %1 and reads %2 only if %1 owns it and nobody else may read it. Run: chown %1: %2 &amp;&amp; chmod 600 %2</source>
        <translation>tribunectl service: エージェントは %1 として動作し、%2 の所有者が %1 で他の誰も読めない場合にのみ読み込みます。次を実行してください: chown %1: %2 &amp;&amp; chmod 600 %2</translation>
    </message>
</context>
<context>
    <name>Tribune::ClusterConfig</name>
    <message>
        <source>no such file or folder</source>
        <translation>そのようなファイルまたはフォルダーはありません</translation>
    </message>
    <message>
        <source>holds no node (a folder with repository/conf/axis2/axis2.xml or carbon.xml) and no loadbalancer.conf</source>
        <translation>ノード（repository/conf/axis2/axis2.xml または carbon.xml を含むフォルダー）も loadbalancer.conf も含まれていません</translation>
    </message>
    <message>
        <source>folder %1 is no node of this cluster; name the folders that hold the nodes</source>
        <translation>フォルダー %1 はこのクラスターのノードではありません。ノードを含むフォルダーを指定してください</translation>
    </message>
    <message>
        <source>not a node: neither it nor its repository/conf holds axis2/axis2.xml or carbon.xml</source>
        <translation>ノードではありません: このフォルダーにもその repository/conf にも axis2/axis2.xml または carbon.xml がありません</translation>
    </message>
</context>
<context>
    <name>Tribune::ClusterConnection</name>
    <message>
        <source>the load balancer %1</source>
        <translation>ロードバランサー %1</translation>
    </message>
    <message>
        <source>the membership port %1</source>
        <translation>メンバーシップポート %1</translation>
    </message>
    <message>
        <source>no answer from %1 within %2 s</source>
        <translation>%1 から %2 s 以内に応答がありません</translation>
    </message>
    <message>
        <source>the membership port %1: %2</source>
        <translation>メンバーシップポート %1: %2</translation>
    </message>
    <message>
        <source>the membership port %1 refused the console: %2</source>
        <translation>メンバーシップポート %1 がコンソールを拒否しました: %2</translation>
    </message>
    <message>
        <source>the load balancer %1: %2</source>
        <translation>ロードバランサー %1: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::ClusterTreeModel</name>
    <message>
        <source>Load balancer</source>
        <translation>ロードバランサー</translation>
    </message>
    <message>
        <source>(no domain)</source>
        <translation>（ドメインなし）</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>サーバー</translation>
    </message>
    <message>
        <source>Membership</source>
        <translation>メンバーシップ</translation>
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
        <translation>オフセット</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>検出事項</translation>
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
        <translation>ファイルを修正して再読み込みしてください。それまでは以前に読み込んだクラスターが表示されます。</translation>
    </message>
    <message>
        <source>cannot create a temporary folder for the cluster&apos;s files: %1; free space there (or set TMPDIR) and try again</source>
        <translation>クラスターのファイル用の一時フォルダーを作成できません: %1。そこの空き容量を確保するか TMPDIR を設定してから、やり直してください</translation>
    </message>
    <message>
        <source>running cluster (%1)</source>
        <translation>稼働中のクラスター（%1）</translation>
    </message>
</context>
<context>
    <name>Tribune::Config</name>
    <message>
        <source>group_mgt_port &apos;%1&apos; is not a port number; use a whole number from 1 to 65535</source>
        <translation>group_mgt_port「%1」はポート番号ではありません。1 から 65535 までの整数を使用してください</translation>
    </message>
    <message>
        <source>the setting &apos;%1&apos; is not ended by &apos;;&apos;; add &apos;;&apos; after its value</source>
        <translation>設定「%1」が &apos;;&apos; で終わっていません。値の後に &apos;;&apos; を追加してください</translation>
    </message>
    <message>
        <source>unexpected &apos;;&apos; with no setting before it; remove it</source>
        <translation>前に設定のない &apos;;&apos; があります。削除してください</translation>
    </message>
    <message>
        <source>a block needs a name before &apos;{&apos;; write it as &apos;name { ... }&apos;</source>
        <translation>ブロックには &apos;{&apos; の前に名前が必要です。&apos;name { ... }&apos; の形式で記述してください</translation>
    </message>
    <message>
        <source>blocks are nested more than %1 deep; close the blocks left open</source>
        <translation>ブロックの入れ子が %1 段を超えています。開いたままのブロックを閉じてください</translation>
    </message>
    <message>
        <source>unexpected &apos;}&apos; with no block open; remove it or add the missing &apos;name {&apos;</source>
        <translation>開いているブロックがないのに &apos;}&apos; があります。削除するか、不足している &apos;name {&apos; を追加してください</translation>
    </message>
    <message>
        <source>the block &apos;%1&apos; opened here is never closed: the &apos;#&apos; comment on line %2 runs to the end of that line and hides its &apos;}&apos;; put the comment on its own line</source>
        <translation>ここで開いたブロック「%1」が閉じられていません: %2 行目の &apos;#&apos; コメントが行末まで続き、&apos;}&apos; を隠しています。コメントを別の行に記述してください</translation>
    </message>
    <message>
        <source>the block &apos;%1&apos; opened here is never closed; add &apos;}&apos; at its end</source>
        <translation>ここで開いたブロック「%1」が閉じられていません。末尾に &apos;}&apos; を追加してください</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>（既定）</translation>
    </message>
    <message>
        <source>service &apos;%1&apos; has no domain &apos;%2&apos; with sub-domain &apos;%3&apos;; check the names against the file</source>
        <translation>サービス「%1」には、サブドメイン「%3」を持つドメイン「%2」がありません。ファイル内の名前と照合してください</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid name; use one word without spaces, commas, &apos;;&apos;, &apos;{&apos;, &apos;}&apos; or &apos;#&apos;</source>
        <translation>「%1」は有効な名前ではありません。空白、カンマ、&apos;;&apos;、&apos;{&apos;、&apos;}&apos;、&apos;#&apos; を含まない 1 語を使用してください</translation>
    </message>
    <message>
        <source>the value &apos;%1&apos; contains a line break, &apos;;&apos;, &apos;{&apos;, &apos;}&apos; or &apos;#&apos;, which would change the file&apos;s structure; remove them</source>
        <translation>値「%1」に改行、&apos;;&apos;、&apos;{&apos;、&apos;}&apos;、&apos;#&apos; のいずれかが含まれており、ファイルの構造が変わってしまいます。これらを削除してください</translation>
    </message>
    <message>
        <source>tenant_range &apos;%1&apos; is not valid; use &apos;*&apos; for all tenants, a tenant id such as 7, or a range such as 10-20 whose first id is not above its last</source>
        <translation>tenant_range「%1」は無効です。すべてのテナントには &apos;*&apos;、単一のテナントには 7 のようなテナント ID、範囲には 10-20 のように最初の ID が最後の ID を超えない値を使用してください</translation>
    </message>
    <message>
        <source>cannot read %1: %2; check that the file exists and that you may read it</source>
        <translation>%1 を読み込めません: %2。ファイルが存在し、読み取り権限があることを確認してください</translation>
    </message>
    <message>
        <source>cannot write %1: %2; check that the folder exists and that you may write to it</source>
        <translation>%1 に書き込めません: %2。フォルダーが存在し、書き込み権限があることを確認してください</translation>
    </message>
    <message>
        <source>the sub-domain &apos;%1&apos; is the name of a nested block; rename that block instead</source>
        <translation>サブドメイン「%1」は入れ子のブロックの名前です。代わりにそのブロックの名前を変更してください</translation>
    </message>
    <message>
        <source>there is no service &apos;%1&apos; in the file; add the service first or check its name</source>
        <translation>ファイルにサービス「%1」がありません。先にサービスを追加するか、名前を確認してください</translation>
    </message>
    <message>
        <source>service &apos;%1&apos; already serves domain &apos;%2&apos; with sub-domain &apos;%3&apos;; edit that domain instead</source>
        <translation>サービス「%1」は既にサブドメイン「%3」のドメイン「%2」を公開しています。代わりにそのドメインを編集してください</translation>
    </message>
    <message>
        <source>service &apos;%1&apos; sets a sub_domain for all its domains, so &apos;%2&apos; cannot have the default sub-domain; give it one</source>
        <translation>サービス「%1」はすべてのドメインに sub_domain を設定しているため、「%2」を既定のサブドメインにはできません。サブドメインを指定してください</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a block, not a setting with a value; edit the settings inside it</source>
        <translation>「%1」は値を持つ設定ではなくブロックです。その中の設定を編集してください</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a setting, not a block; add to the block that holds it</source>
        <translation>「%1」はブロックではなく設定です。それを含むブロックに追加してください</translation>
    </message>
    <message>
        <source>the whole file cannot be removed; remove its blocks instead</source>
        <translation>ファイル全体は削除できません。代わりにファイル内のブロックを削除してください</translation>
    </message>
    <message>
        <source>the setting to edit is no longer part of the file; look it up again after each edit</source>
        <translation>編集対象の設定はもうファイルに含まれていません。編集のたびに設定を検索し直してください</translation>
    </message>
    <message>
        <source>the file is not valid %1; save it in that encoding or fix its declaration</source>
        <translation>ファイルは有効な %1 ではありません。そのエンコーディングで保存するか、宣言を修正してください</translation>
    </message>
    <message>
        <source>expected &lt;%1&gt; as the document element, found &lt;%2&gt;; is this the right file?</source>
        <translation>ドキュメント要素として &lt;%1&gt; が必要ですが、&lt;%2&gt; が見つかりました。正しいファイルですか？</translation>
    </message>
    <message>
        <source>cannot read the file: %1</source>
        <translation>ファイルを読み込めません: %1</translation>
    </message>
    <message>
        <source>%1 is not in the file</source>
        <translation>%1 はファイルにありません</translation>
    </message>
    <message>
        <source>the file is %1 MB, more than the %2 MB a configuration file may be; it is not one</source>
        <translation>ファイルは %1 MB で、構成ファイルの上限 %2 MB を超えています。構成ファイルではありません</translation>
    </message>
    <message>
        <source>unsupported encoding &quot;%1&quot; in the XML declaration; use UTF-8 or ISO-8859-1</source>
        <translation>XML 宣言のエンコーディング「%1」はサポートされていません。UTF-8 または ISO-8859-1 を使用してください</translation>
    </message>
    <message>
        <source> (a bare &apos;&amp;&apos; at &quot;%1&quot;: write it as &amp;amp;)</source>
        <translation>（「%1」にエスケープされていない &apos;&amp;&apos; があります: &amp;amp; と記述してください）</translation>
    </message>
    <message>
        <source>an element with %1 attributes, more than the %2 a configuration file may have</source>
        <translation>属性が %1 個ある要素があり、構成ファイルの上限 %2 個を超えています</translation>
    </message>
    <message>
        <source>elements nested more than %1 deep; a configuration file nests a dozen</source>
        <translation>要素の入れ子が %1 段を超えています。構成ファイルの入れ子は十数段程度です</translation>
    </message>
    <message>
        <source>malformed XML: %1</source>
        <translation>不正な XML: %1</translation>
    </message>
    <message>
        <source>the file holds no XML element</source>
        <translation>ファイルに XML 要素がありません</translation>
    </message>
    <message>
        <source>cannot write the file: %1</source>
        <translation>ファイルに書き込めません: %1</translation>
    </message>
    <message>
        <source>the edit would leave the file malformed (%1)</source>
        <translation>この編集ではファイルが不正な形式になります（%1）</translation>
    </message>
    <message>
        <source>&lt;%1&gt; holds other elements; its text cannot be replaced</source>
        <translation>&lt;%1&gt; には他の要素が含まれているため、テキストを置き換えられません</translation>
    </message>
    <message>
        <source>the fragment holds no element</source>
        <translation>フラグメントに要素がありません</translation>
    </message>
</context>
<context>
    <name>Tribune::ConfigView</name>
    <message>
        <source>Filter nodes, domains, hosts…</source>
        <translation>ノード、ドメイン、ホストで絞り込み…</translation>
    </message>
    <message>
        <source>&amp;Configure…</source>
        <translation>構成(&amp;C)…</translation>
    </message>
    <message>
        <source>Open a cluster folder to check its configuration.</source>
        <translation>構成を検証するクラスターフォルダーを開いてください。</translation>
    </message>
    <message>
        <source>%1 nodes · %2 · %3</source>
        <translation>ノード %1 個 · %2 · %3</translation>
    </message>
</context>
<context>
    <name>Tribune::ConnectDialog</name>
    <message>
        <source>&amp;Forget</source>
        <translation>削除(&amp;F)</translation>
    </message>
    <message>
        <source>default: the first well-known member</source>
        <translation>既定: 最初の WKA メンバー</translation>
    </message>
    <message>
        <source>/path/to/admin.sock or 127.0.0.1:9999 (optional)</source>
        <translation>/path/to/admin.sock または 127.0.0.1:9999（省略可）</translation>
    </message>
    <message>
        <source>mode 0600, as the agents have it</source>
        <translation>モード 0600（エージェントと同じ）</translation>
    </message>
    <message>
        <source>only for TLS</source>
        <translation>TLS の場合のみ</translation>
    </message>
    <message>
        <source>default: SQLite in the data folder</source>
        <translation>既定: データフォルダー内の SQLite</translation>
    </message>
    <message>
        <source>default: %1</source>
        <translation>既定: %1</translation>
    </message>
    <message>
        <source>Connect to a Cluster</source>
        <translation>クラスターへの接続</translation>
    </message>
    <message>
        <source>New connection</source>
        <translation>新しい接続</translation>
    </message>
    <message>
        <source>Where to keep history: empty for a SQLite file in the data folder, sqlite:///path/history.sqlite, mysql://user:password@host:port/database, postgresql://user:password@host:port/database for a history the team shares, or none to keep no history.</source>
        <translation>履歴の保存先: 空欄ならデータフォルダー内の SQLite ファイル、sqlite:///path/history.sqlite、チームで共有する履歴には mysql://user:password@host:port/database または postgresql://user:password@host:port/database、履歴を保存しない場合は none。</translation>
    </message>
    <message>
        <source>Strongest key in the file</source>
        <translation>ファイル内で最も強い鍵</translation>
    </message>
    <message>
        <source>Console (may change members)</source>
        <translation>コンソール（メンバーを変更可能）</translation>
    </message>
    <message>
        <source>Viewer (read-only)</source>
        <translation>閲覧者（読み取り専用）</translation>
    </message>
    <message>
        <source>Remove this saved connection from the list. Its key file stays where it is.</source>
        <translation>保存済みのこの接続を一覧から削除します。鍵ファイルはそのまま残ります。</translation>
    </message>
    <message>
        <source>&amp;Profile:</source>
        <translation>プロファイル(&amp;P):</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>名前(&amp;N):</translation>
    </message>
    <message>
        <source>&amp;Well-known members:</source>
        <translation>WKA メンバー(&amp;W):</translation>
    </message>
    <message>
        <source>Load balancer admin &amp;socket:</source>
        <translation>ロードバランサー管理ソケット(&amp;S):</translation>
    </message>
    <message>
        <source>Cluster &amp;key file:</source>
        <translation>クラスター鍵ファイル(&amp;K):</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <source>Choose the Cluster Key File</source>
        <translation>クラスター鍵ファイルの選択</translation>
    </message>
    <message>
        <source>&amp;Role:</source>
        <translation>ロール(&amp;R):</translation>
    </message>
    <message>
        <source>&amp;TLS certificate authority:</source>
        <translation>TLS 認証局(&amp;T):</translation>
    </message>
    <message>
        <source>Choose the Certificate Authority</source>
        <translation>認証局の選択</translation>
    </message>
    <message>
        <source>&amp;History:</source>
        <translation>履歴(&amp;H):</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>接続</translation>
    </message>
</context>
<context>
    <name>Tribune::ConnectionProfiles</name>
    <message>
        <source>Choose the cluster key file: the file the agents use, made with &quot;tribunectl keygen&quot;.</source>
        <translation>クラスター鍵ファイルを選択してください: エージェントが使用しているファイルで、「tribunectl keygen」で作成したものです。</translation>
    </message>
    <message>
        <source>The key file %1 does not exist: choose the file the agents use, made with &quot;tribunectl keygen&quot;.</source>
        <translation>鍵ファイル %1 が存在しません: エージェントが使用しているファイル（「tribunectl keygen」で作成）を選択してください。</translation>
    </message>
    <message>
        <source>%1 is not a file: choose the cluster key file.</source>
        <translation>%1 はファイルではありません: クラスター鍵ファイルを選択してください。</translation>
    </message>
    <message>
        <source>The key file %1 holds no %2 key: choose another role, or the strongest key in the file.</source>
        <translation>鍵ファイル %1 には %2 鍵がありません: 別のロール、またはファイル内で最も強い鍵を選択してください。</translation>
    </message>
    <message>
        <source>Enter a well-known member as HOST:PORT (e.g. 127.0.0.1:4000), or several separated by commas: the console learns the cluster&apos;s members from them. Or give only the load balancer&apos;s admin socket, to watch its servers alone.</source>
        <translation>WKA メンバーを HOST:PORT の形式（例: 127.0.0.1:4000）で入力するか、複数をカンマ区切りで入力してください。コンソールはそこからクラスターのメンバーを把握します。または、ロードバランサーの管理ソケットのみを指定して、そのサーバーだけを監視することもできます。</translation>
    </message>
    <message>
        <source>The certificate authority file %1 does not exist: choose the PEM file that signed the agents&apos; certificates, or leave the field empty to connect without TLS.</source>
        <translation>認証局ファイル %1 が存在しません: エージェントの証明書に署名した PEM ファイルを選択するか、TLS なしで接続する場合は空欄のままにしてください。</translation>
    </message>
</context>
<context>
    <name>Tribune::ConsolePreferences</name>
    <message>
        <source>1 minute</source>
        <translation>1 分</translation>
    </message>
    <message>
        <source>5 minutes</source>
        <translation>5 分</translation>
    </message>
    <message>
        <source>10 minutes</source>
        <translation>10 分</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 時間</translation>
    </message>
    <message>
        <source>6 hours</source>
        <translation>6 時間</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 時間</translation>
    </message>
    <message>
        <source>%1 seconds</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>&quot;none&quot; keeps no history: there is no database to check.</source>
        <translation>「none」は履歴を保存しないため、検査するデータベースはありません。</translation>
    </message>
</context>
<context>
    <name>Tribune::CopyRows</name>
    <message>
        <source>&amp;Copy</source>
        <translation>コピー(&amp;C)</translation>
    </message>
</context>
<context>
    <name>Tribune::DatasourcesPanel</name>
    <message>
        <source>Ready</source>
        <translation>使用可能</translation>
    </message>
    <message>
        <source>No tables</source>
        <translation>テーブルなし</translation>
    </message>
    <message>
        <source>No database</source>
        <translation>データベースなし</translation>
    </message>
    <message>
        <source>Not granted</source>
        <translation>権限なし</translation>
    </message>
    <message>
        <source>Wrong user or password</source>
        <translation>ユーザーまたはパスワードが誤り</translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation>到達不能</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>未確認</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>&amp;Test Connections</source>
        <translation>接続テスト(&amp;T)</translation>
    </message>
    <message>
        <source>Cancel Test</source>
        <translation>テストのキャンセル</translation>
    </message>
    <message>
        <source>C&amp;reate Database…</source>
        <translation>データベースの作成(&amp;R)…</translation>
    </message>
    <message>
        <source>Datasource</source>
        <translation>データソース</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>ステータス</translation>
    </message>
    <message>
        <source>Create the selected datasource&apos;s database and grant its user, with a database administrator&apos;s credentials that are not kept</source>
        <translation>選択したデータソースのデータベースを作成し、そのユーザーに権限を付与します（データベース管理者の認証情報を使用しますが、保存はしません）</translation>
    </message>
    <message>
        <source>&amp;URL:</source>
        <translation>URL(&amp;U):</translation>
    </message>
    <message>
        <source>U&amp;ser:</source>
        <translation>ユーザー(&amp;S):</translation>
    </message>
    <message>
        <source>Pass&amp;word:</source>
        <translation>パスワード(&amp;W):</translation>
    </message>
    <message>
        <source>Cannot create the database: %1</source>
        <translation>データベースを作成できません: %1</translation>
    </message>
    <message>
        <source>The node has no datasources.</source>
        <translation>このノードにはデータソースがありません。</translation>
    </message>
    <message>
        <source>Test the connections before you push: the node needs its databases at start.</source>
        <translation>プッシュする前に接続をテストしてください。ノードは起動時にデータベースを必要とします。</translation>
    </message>
    <message>
        <source>Connecting to the database servers…</source>
        <translation>データベースサーバーに接続しています…</translation>
    </message>
    <message>
        <source>Test cancelled.</source>
        <translation>テストをキャンセルしました。</translation>
    </message>
    <message>
        <source>%1 %2: %3</source>
        <translation>%1 %2: %3</translation>
    </message>
    <message>
        <source>Changed; the node&apos;s own value is %1</source>
        <translation>変更済み。ノード自身の値は %1 です</translation>
    </message>
    <message>
        <source>Every datasource is ready.</source>
        <translation>すべてのデータソースが使用可能です。</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n datasource(s) ready.</source>
        <translation>
            <numerusform>%n 個中 %1 個のデータソースが使用可能です。</numerusform>
        </translation>
    </message>
    <message>
        <source>Create the Database</source>
        <translation>データベースの作成</translation>
    </message>
    <message>
        <source>C&amp;reate</source>
        <translation>作成(&amp;R)</translation>
    </message>
    <message>
        <source>A database administrator&apos;s account creates the database of %1 and grants %2 every privilege on it. These credentials are used once and not kept.</source>
        <translation>データベース管理者のアカウントで %1 のデータベースを作成し、%2 にそのデータベースのすべての権限を付与します。この認証情報は一度だけ使用され、保存されません。</translation>
    </message>
    <message>
        <source>Administrator:</source>
        <translation>管理者:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>パスワード:</translation>
    </message>
    <message>
        <source>Creating the database of %1…</source>
        <translation>%1 のデータベースを作成しています…</translation>
    </message>
</context>
<context>
    <name>Tribune::DiffView</name>
    <message>
        <source>Before</source>
        <translation>変更前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>変更後</translation>
    </message>
    <message>
        <source>&amp;Unified</source>
        <translation>統合(&amp;U)</translation>
    </message>
    <message>
        <source>Side by Si&amp;de</source>
        <translation>左右に並べて表示(&amp;D)</translation>
    </message>
    <message>
        <source>%1: %2 bytes before, %3 after; too large to show here</source>
        <translation>%1: 変更前 %2 バイト、変更後 %3 バイト。大きすぎるためここには表示できません</translation>
    </message>
    <message>
        <source>Only line ends differ (CRLF or LF, or the newline at the end).</source>
        <translation>行末のみが異なります（CRLF と LF の違い、または末尾の改行）。</translation>
    </message>
</context>
<context>
    <name>Tribune::EventLogModel</name>
    <message>
        <source>Time</source>
        <translation>時刻</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>イベント</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>メンバー</translation>
    </message>
    <message>
        <source>Domain / sub-domain</source>
        <translation>ドメイン / サブドメイン</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <source>Double-click to open this snapshot</source>
        <translation>ダブルクリックでこのスナップショットを開きます</translation>
    </message>
    <message>
        <source>join</source>
        <translation>参加</translation>
    </message>
    <message>
        <source>leave</source>
        <translation>離脱</translation>
    </message>
    <message>
        <source>failure</source>
        <translation>障害</translation>
    </message>
    <message>
        <source>suspect</source>
        <translation>疑い</translation>
    </message>
    <message>
        <source>refute</source>
        <translation>反証</translation>
    </message>
    <message>
        <source>rejoin</source>
        <translation>再参加</translation>
    </message>
    <message>
        <source>health</source>
        <translation>ヘルス</translation>
    </message>
    <message>
        <source>admin</source>
        <translation>管理</translation>
    </message>
    <message>
        <source>snapshot</source>
        <translation>スナップショット</translation>
    </message>
</context>
<context>
    <name>Tribune::FindingsModel</name>
    <message>
        <source>Severity</source>
        <translation>重大度</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>ノード</translation>
    </message>
    <message>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>問題</translation>
    </message>
    <message>
        <source>Suggested fix</source>
        <translation>修正案</translation>
    </message>
    <message>
        <source>load balancer</source>
        <translation>ロードバランサー</translation>
    </message>
</context>
<context>
    <name>Tribune::FindingsPanel</name>
    <message>
        <source>All findings</source>
        <translation>すべての検出事項</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>エラーのみ</translation>
    </message>
    <message>
        <source>Warnings only</source>
        <translation>警告のみ</translation>
    </message>
    <message>
        <source>Search findings</source>
        <translation>検出事項を検索</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>検出事項</translation>
    </message>
    <message>
        <source>%1: %2
%3</source>
        <translation>%1: %2
%3</translation>
    </message>
    <message>
        <source>&amp;Open File at Line</source>
        <translation>該当行でファイルを開く(&amp;O)</translation>
    </message>
    <message>
        <source>&amp;Fix…</source>
        <translation>修正(&amp;F)…</translation>
    </message>
</context>
<context>
    <name>Tribune::HAProxy</name>
    <message>
        <source>render-haproxy: cannot write %1: %2</source>
        <translation>render-haproxy: %1 に書き込めません: %2</translation>
    </message>
    <message>
        <source>Renders a loadbalancer.conf as an HAProxy configuration and its hosts map.</source>
        <translation>loadbalancer.conf を HAProxy の構成とそのホストマップとしてレンダリングします。</translation>
    </message>
    <message>
        <source>Write the configuration to FILE instead of standard output.</source>
        <translation>構成を標準出力ではなく FILE に書き込みます。</translation>
    </message>
    <message>
        <source>The Host -&gt; backend map file to write (default: hosts.map beside the output).</source>
        <translation>書き込む Host -&gt; バックエンドのマップファイル（既定: 出力と同じ場所の hosts.map）。</translation>
    </message>
    <message>
        <source>Listen on ADDRESS (default: *).</source>
        <translation>ADDRESS で待ち受けます（既定: *）。</translation>
    </message>
    <message>
        <source>HTTP port (default: the ELB&apos;s http transport in axis2/axis2.xml beside the file, else 8280).</source>
        <translation>HTTP ポート（既定: ファイルと同じ場所の axis2/axis2.xml にある ELB の http トランスポート、なければ 8280）。</translation>
    </message>
    <message>
        <source>HTTPS port (default: the ELB&apos;s https transport beside the file, else 8243).</source>
        <translation>HTTPS ポート（既定: ファイルと同じ場所にある ELB の https トランスポート、なければ 8243）。</translation>
    </message>
    <message>
        <source>PEM with certificate and key for HTTPS; without it, no HTTPS listener.</source>
        <translation>HTTPS 用の証明書と鍵を含む PEM。指定しない場合、HTTPS リスナーは作成されません。</translation>
    </message>
    <message>
        <source>Unix admin socket (default: admin.sock beside the output).</source>
        <translation>Unix 管理ソケット（既定: 出力と同じ場所の admin.sock）。</translation>
    </message>
    <message>
        <source>Also an admin socket on a loopback ADDRESS:PORT, e.g. 127.0.0.1:9999.</source>
        <translation>ループバックの ADDRESS:PORT にも管理ソケットを設けます（例: 127.0.0.1:9999）。</translation>
    </message>
    <message>
        <source>Map file of &quot;&lt;tenant-domain&gt; &lt;id&gt;&quot; lines, needed for tenant ranges.</source>
        <translation>&quot;&lt;tenant-domain&gt; &lt;id&gt;&quot; 形式の行からなるマップファイル。テナント範囲に必要です。</translation>
    </message>
    <message>
        <source>The ELB&apos;s loadbalancer.conf.</source>
        <translation>ELB の loadbalancer.conf。</translation>
    </message>
    <message>
        <source>render-haproxy: name one loadbalancer.conf; see --help</source>
        <translation>render-haproxy: loadbalancer.conf を 1 つ指定してください。--help を参照してください</translation>
    </message>
    <message>
        <source>render-haproxy: ports must be numbers</source>
        <translation>render-haproxy: ポートは数値で指定してください</translation>
    </message>
    <message>
        <source>render-haproxy: the hosts map and the configuration must be different files</source>
        <translation>render-haproxy: ホストマップと構成は別のファイルにする必要があります</translation>
    </message>
    <message>
        <source>%1 does not exist yet; HAProxy will not start without it</source>
        <translation>%1 はまだ存在しません。これがないと HAProxy は起動しません</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>警告: %1</translation>
    </message>
    <message>
        <source>domain &apos;%1&apos; with sub-domain &apos;%2&apos; cannot name an HAProxy backend: use only letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos; and &apos;:&apos;</source>
        <translation>サブドメイン「%2」のドメイン「%1」は HAProxy のバックエンド名にできません: 英字、数字、&apos;-&apos;、&apos;_&apos;、&apos;.&apos;、&apos;:&apos; のみを使用してください</translation>
    </message>
    <message>
        <source>backend &apos;%1&apos; is already defined by line %2: the same domain and sub-domain are served twice; merge the two blocks</source>
        <translation>バックエンド「%1」は既に %2 行目で定義されています: 同じドメインとサブドメインが 2 回公開されています。2 つのブロックを統合してください</translation>
    </message>
    <message>
        <source>host &apos;%1&apos; of domain &apos;%2&apos; cannot be a key of the hosts map: use only letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;, without a port</source>
        <translation>ドメイン「%2」のホスト「%1」はホストマップのキーにできません: ポートを付けず、英字、数字、&apos;-&apos;、&apos;_&apos;、&apos;.&apos; のみを使用してください</translation>
    </message>
    <message>
        <source>domain &apos;%1&apos; (backend &apos;%2&apos;) has no hosts, so no request could reach it; add a hosts statement</source>
        <translation>ドメイン「%1」（バックエンド「%2」）にはホストがないため、リクエストが届きません。hosts 文を追加してください</translation>
    </message>
    <message>
        <source>domain &apos;%1&apos; serves tenants %2 only, which needs a tenants map (tenant domain -&gt; id); give one</source>
        <translation>ドメイン「%1」はテナント %2 のみを公開するため、テナントマップ（テナントドメイン -&gt; ID）が必要です。指定してください</translation>
    </message>
    <message>
        <source>host &apos;%1&apos; already routes to backend &apos;%2&apos; (line %3) for all tenants; one host cannot route to two backends, so give them different hosts</source>
        <translation>ホスト「%1」は既に全テナント向けにバックエンド「%2」（%3 行目）へルーティングされています。1 つのホストを 2 つのバックエンドにルーティングすることはできないため、別々のホストを指定してください</translation>
    </message>
    <message>
        <source>no certificate given: there is no HTTPS listener on port %1</source>
        <translation>証明書が指定されていません: ポート %1 に HTTPS リスナーはありません</translation>
    </message>
    <message>
        <source>host &apos;%1&apos; is served only for some tenants; requests for it without such a tenant get 503</source>
        <translation>ホスト「%1」は一部のテナントにのみ公開されています。該当しないテナントのリクエストには 503 が返されます</translation>
    </message>
    <message>
        <source>tenants %1 of backend &apos;%2&apos; overlap tenants %3 of backend &apos;%4&apos; on a shared host; the earlier backend gets them</source>
        <translation>共有ホスト上で、バックエンド「%2」のテナント %1 がバックエンド「%4」のテナント %3 と重複しています。先のバックエンドが優先されます</translation>
    </message>
    <message>
        <source>no domain has a tenant range; the tenants map is not used</source>
        <translation>テナント範囲を持つドメインがないため、テナントマップは使用されません</translation>
    </message>
    <message numerus="yes">
        <source>there is no backend &apos;%1&apos;; its %n server(s) are left out</source>
        <translation>
            <numerusform>バックエンド「%1」がありません。その %n 台のサーバーは除外されます</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 &apos;%2&apos; must be an absolute path of letters, digits and / . _ - + @ ~ =</source>
        <translation>%1「%2」は、英字、数字、/ . _ - + @ ~ = からなる絶対パスでなければなりません</translation>
    </message>
    <message>
        <source>an admin socket path is required</source>
        <translation>管理ソケットのパスが必要です</translation>
    </message>
    <message>
        <source>admin socket</source>
        <translation>管理ソケット</translation>
    </message>
    <message>
        <source>admin socket path &apos;%1&apos; is longer than 97 bytes</source>
        <translation>管理ソケットのパス「%1」が 97 バイトを超えています</translation>
    </message>
    <message>
        <source>hosts map</source>
        <translation>ホストマップ</translation>
    </message>
    <message>
        <source>tenants map</source>
        <translation>テナントマップ</translation>
    </message>
    <message>
        <source>certificate</source>
        <translation>証明書</translation>
    </message>
    <message>
        <source>admin TCP address &apos;%1&apos; must be a loopback address with a port, e.g. 127.0.0.1:9999 or [::1]:9999</source>
        <translation>管理用 TCP アドレス「%1」はポート付きのループバックアドレスでなければなりません（例: 127.0.0.1:9999 または [::1]:9999）</translation>
    </message>
    <message>
        <source>bind address &apos;%1&apos; must be * or an IP address</source>
        <translation>バインドアドレス「%1」は * または IP アドレスでなければなりません</translation>
    </message>
    <message>
        <source>ports %1 and %2 must be two different ports from 1 to 65535</source>
        <translation>ポート %1 と %2 は、1 から 65535 までの異なる 2 つのポートでなければなりません</translation>
    </message>
    <message>
        <source>ring name &apos;%1&apos; is not a valid HAProxy name</source>
        <translation>リング名「%1」は有効な HAProxy の名前ではありません</translation>
    </message>
    <message>
        <source>server &apos;%1&apos; at %2:%3 weight %4 of backend &apos;%5&apos; cannot be rendered: check its name (unique), address, port and weight (0-256)</source>
        <translation>バックエンド「%5」のサーバー「%1」（%2:%3、重み %4）をレンダリングできません: 名前（一意であること）、アドレス、ポート、重み（0-256）を確認してください</translation>
    </message>
    <message>
        <source>the reply is empty</source>
        <translation>応答が空です</translation>
    </message>
    <message>
        <source>it begins &quot;%1&quot;</source>
        <translation>先頭は「%1」です</translation>
    </message>
    <message>
        <source>not a &quot;show stat&quot; reply (no &quot;# pxname,svname,...&quot; header): %1</source>
        <translation>&quot;show stat&quot; の応答ではありません（&quot;# pxname,svname,...&quot; ヘッダーがありません）: %1</translation>
    </message>
    <message>
        <source>not a &quot;show servers state&quot; reply of format 1: %1</source>
        <translation>フォーマット 1 の &quot;show servers state&quot; の応答ではありません: %1</translation>
    </message>
    <message>
        <source>the &quot;show servers state&quot; reply has no &quot;# be_id be_name ...&quot; header: %1</source>
        <translation>&quot;show servers state&quot; の応答に &quot;# be_id be_name ...&quot; ヘッダーがありません: %1</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an HAProxy backend name (letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos;, &apos;:&apos;)</source>
        <translation>「%1」は HAProxy のバックエンド名ではありません（英字、数字、&apos;-&apos;、&apos;_&apos;、&apos;.&apos;、&apos;:&apos;）</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an HAProxy server name (letters, digits, &apos;-&apos;, &apos;_&apos;, &apos;.&apos;, &apos;:&apos;)</source>
        <translation>「%1」は HAProxy のサーバー名ではありません（英字、数字、&apos;-&apos;、&apos;_&apos;、&apos;.&apos;、&apos;:&apos;）</translation>
    </message>
    <message>
        <source>&quot;%1&quot; port %2 is not a server address</source>
        <translation>「%1」のポート %2 はサーバーアドレスではありません</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a server keyword</source>
        <translation>「%1」はサーバーのキーワードではありません</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is neither a socket path nor HOST:PORT (e.g. /run/haproxy/admin.sock or 127.0.0.1:9999)</source>
        <translation>「%1」はソケットのパスでも HOST:PORT でもありません（例: /run/haproxy/admin.sock または 127.0.0.1:9999）</translation>
    </message>
    <message>
        <source>no answer within %1 s</source>
        <translation>%1 s 以内に応答がありません</translation>
    </message>
    <message>
        <source>an empty command is not sent</source>
        <translation>空のコマンドは送信されません</translation>
    </message>
    <message>
        <source>a command to HAProxy&apos;s admin socket must be one line: &quot;%1&quot;</source>
        <translation>HAProxy の管理ソケットへのコマンドは 1 行でなければなりません: &quot;%1&quot;</translation>
    </message>
    <message>
        <source>connection refused (is HAProxy running?)</source>
        <translation>接続が拒否されました（HAProxy は実行中ですか？）</translation>
    </message>
    <message>
        <source>no socket at that path</source>
        <translation>そのパスにソケットがありません</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>アクセスが拒否されました</translation>
    </message>
    <message>
        <source>the reply is larger than %1 MB; this is not HAProxy answering, or not the command asked</source>
        <translation>応答が %1 MB を超えています。HAProxy の応答ではないか、要求したコマンドに対する応答ではありません</translation>
    </message>
    <message>
        <source>no complete answer within %1 s</source>
        <translation>%1 s 以内に完全な応答がありません</translation>
    </message>
    <message>
        <source>HAProxy&apos;s admin socket %1: %2</source>
        <translation>HAProxy の管理ソケット %1: %2</translation>
    </message>
    <message>
        <source>not a &quot;show info&quot; reply</source>
        <translation>&quot;show info&quot; の応答ではありません</translation>
    </message>
    <message>
        <source>HAProxy did not answer &quot;%1&quot;</source>
        <translation>HAProxy が &quot;%1&quot; に応答しませんでした</translation>
    </message>
</context>
<context>
    <name>Tribune::HistoryRecorder</name>
    <message>
        <source>no history is kept: %1</source>
        <translation>履歴は保存されません: %1</translation>
    </message>
</context>
<context>
    <name>Tribune::HistoryStore</name>
    <message>
        <source>Could not add an event to the history</source>
        <translation>履歴にイベントを追加できませんでした</translation>
    </message>
    <message>
        <source>the event has no time</source>
        <translation>イベントに時刻がありません</translation>
    </message>
    <message>
        <source>Could not add events to the history</source>
        <translation>履歴にイベントを追加できませんでした</translation>
    </message>
    <message>
        <source>Could not read events from the history</source>
        <translation>履歴からイベントを読み込めませんでした</translation>
    </message>
    <message>
        <source>Could not add samples to the history</source>
        <translation>履歴にサンプルを追加できませんでした</translation>
    </message>
    <message>
        <source>a sample of member &apos;%1&apos; has no time</source>
        <translation>メンバー「%1」のサンプルに時刻がありません</translation>
    </message>
    <message>
        <source>Could not read samples from the history</source>
        <translation>履歴からサンプルを読み込めませんでした</translation>
    </message>
    <message>
        <source>Could not compact the history</source>
        <translation>履歴を圧縮できませんでした</translation>
    </message>
    <message>
        <source>no time was given</source>
        <translation>時刻が指定されていません</translation>
    </message>
    <message>
        <source>Could not create the history&apos;s tables</source>
        <translation>履歴のテーブルを作成できませんでした</translation>
    </message>
    <message>
        <source>the driver gave no reason</source>
        <translation>ドライバーから理由が返されませんでした</translation>
    </message>
    <message>
        <source>Use sqlite:///path/history.sqlite, mysql://user:password@host:port/database, mariadb://... or postgresql://...; write characters such as @ : / in the user or password as %40 %3A %2F.</source>
        <translation>sqlite:///path/history.sqlite、mysql://user:password@host:port/database、mariadb://...、または postgresql://... を使用してください。ユーザー名やパスワードに含まれる @ : / などの文字は %40 %3A %2F と記述してください。</translation>
    </message>
    <message>
        <source>There is no data folder to keep the history in.</source>
        <translation>履歴を保存するデータフォルダーがありません。</translation>
    </message>
    <message>
        <source>Could not create the folder %1 for the history.</source>
        <translation>履歴用のフォルダー %1 を作成できませんでした。</translation>
    </message>
    <message>
        <source>the SQLite database %1</source>
        <translation>SQLite データベース %1</translation>
    </message>
    <message>
        <source>The history URL %1 is not valid (%2). %3</source>
        <translation>履歴 URL %1 が無効です（%2）。%3</translation>
    </message>
    <message>
        <source>The history URL %1 names no file. %2</source>
        <translation>履歴 URL %1 にファイルが指定されていません。%2</translation>
    </message>
    <message>
        <source>Qt&apos;s MySQL/MariaDB driver (QMYSQL) is not installed, so the history at %1 cannot be opened. Install it with: sudo apt-get install libqt6sql6-mysql</source>
        <translation>Qt の MySQL/MariaDB ドライバー（QMYSQL）がインストールされていないため、%1 の履歴を開けません。次のコマンドでインストールしてください: sudo apt-get install libqt6sql6-mysql</translation>
    </message>
    <message>
        <source>Qt&apos;s PostgreSQL driver (QPSQL) is not installed, so the history at %1 cannot be opened. Install it with: sudo apt-get install libqt6sql6-psql</source>
        <translation>Qt の PostgreSQL ドライバー（QPSQL）がインストールされていないため、%1 の履歴を開けません。次のコマンドでインストールしてください: sudo apt-get install libqt6sql6-psql</translation>
    </message>
    <message>
        <source>The history location %1 is not a URL: it has no scheme such as sqlite: or mysql:. %2</source>
        <translation>履歴の場所 %1 は URL ではありません: sqlite: や mysql: のようなスキームがありません。%2</translation>
    </message>
    <message>
        <source>The history URL %1 has an unknown scheme &apos;%2&apos;. %3</source>
        <translation>履歴 URL %1 のスキーム「%2」は不明です。%3</translation>
    </message>
    <message>
        <source>The history URL %1 needs a host and a database name. %2</source>
        <translation>履歴 URL %1 にはホストとデータベース名が必要です。%2</translation>
    </message>
    <message>
        <source>the %1 database &apos;%2&apos; on %3 (user &apos;%4&apos;)</source>
        <translation>%3 上の %1 データベース「%2」（ユーザー「%4」）</translation>
    </message>
    <message>
        <source>Could not open %1: %2</source>
        <translation>%1 を開けませんでした: %2</translation>
    </message>
    <message>
        <source>the connection to the database was lost (%1); check that the database server runs, then connect to the cluster again</source>
        <translation>データベースへの接続が切断されました（%1）。データベースサーバーが稼働していることを確認してから、クラスターに再接続してください</translation>
    </message>
    <message>
        <source>%1 in %2: %3</source>
        <translation>%1（%2）: %3</translation>
    </message>
    <message>
        <source>Could not set up the history (%1)</source>
        <translation>履歴をセットアップできませんでした（%1）</translation>
    </message>
    <message>
        <source>Could not read &apos;%1&apos; of the history</source>
        <translation>履歴の「%1」を読み込めませんでした</translation>
    </message>
    <message>
        <source>the table tribune_meta has no such row</source>
        <translation>テーブル tribune_meta にそのような行はありません</translation>
    </message>
    <message>
        <source>Could not read what the history holds</source>
        <translation>履歴の内容を読み込めませんでした</translation>
    </message>
    <message>
        <source>Could not list the history&apos;s tables</source>
        <translation>履歴のテーブル一覧を取得できませんでした</translation>
    </message>
    <message>
        <source>Could not use the history</source>
        <translation>履歴を使用できませんでした</translation>
    </message>
    <message>
        <source>it has schema version %1, written by a newer Tribune; this one knows versions up to %2</source>
        <translation>スキーマバージョンが %1 です。これは新しいバージョンの Tribune で書き込まれたもので、このバージョンが扱えるのは %2 までです</translation>
    </message>
</context>
<context>
    <name>Tribune::HostModel</name>
    <message>
        <source>cannot read the file: %1</source>
        <translation>ファイルを読み込めません: %1</translation>
    </message>
    <message>
        <source>the file is %1 bytes, more than the %2 a hosts or servers file may have</source>
        <translation>ファイルは %1 バイトで、hosts ファイルまたは servers ファイルの上限 %2 バイトを超えています</translation>
    </message>
    <message>
        <source>the file is larger than %1 bytes</source>
        <translation>ファイルが %1 バイトを超えています</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IPv4 or IPv6 address; a hosts line is ADDRESS NAME...</source>
        <translation>「%1」は IPv4 アドレスでも IPv6 アドレスでもありません。hosts の行は ADDRESS NAME... の形式です</translation>
    </message>
    <message>
        <source>the address %1 names no host; write the names after it</source>
        <translation>アドレス %1 にホスト名がありません。アドレスの後に名前を記述してください</translation>
    </message>
    <message>
        <source>more than %1 names on one line</source>
        <translation>1 行の名前が %1 個を超えています</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a host name (letters, digits, &apos;-&apos;, &apos;_&apos; and &apos;.&apos;, at most %2 characters)</source>
        <translation>「%1」はホスト名ではありません（英字、数字、&apos;-&apos;、&apos;_&apos;、&apos;.&apos;、最大 %2 文字）</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is neither an address nor a host name; a servers line is ADDRESS FOLDER...</source>
        <translation>「%1」はアドレスでもホスト名でもありません。servers の行は ADDRESS FOLDER... の形式です</translation>
    </message>
    <message>
        <source>server %1 names no node folder; write the folders on it after the address</source>
        <translation>サーバー %1 にノードフォルダーが指定されていません。アドレスの後に、そのサーバー上のフォルダーを記述してください</translation>
    </message>
    <message>
        <source>more than %1 folders on one line</source>
        <translation>1 行のフォルダーが %1 個を超えています</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a folder name: name the node&apos;s folder in the cluster folder, without a path</source>
        <translation>「%1」はフォルダー名ではありません: クラスターフォルダー内のノードのフォルダーを、パスを付けずに指定してください</translation>
    </message>
    <message>
        <source>folder %1 is already placed on line %2; a node is on one server</source>
        <translation>フォルダー %1 は既に %2 行目で配置されています。ノードは 1 つのサーバーにのみ配置できます</translation>
    </message>
</context>
<context>
    <name>Tribune::KeyRing</name>
    <message>
        <source>Cannot read the key file %1 (%2): check the path, and that you may read the file.</source>
        <translation>鍵ファイル %1 を読み込めません（%2）: パスと、ファイルの読み取り権限を確認してください。</translation>
    </message>
    <message>
        <source>The key file %1 can be read by other users, so its keys are no secret: run &quot;chmod 600 %1&quot; and try again.</source>
        <translation>鍵ファイル %1 は他のユーザーが読み取れるため、鍵の秘密が保たれていません: &quot;chmod 600 %1&quot; を実行してから、やり直してください。</translation>
    </message>
    <message>
        <source>%1:%2: expected &quot;member|console|viewer = &lt;base64 key of at least 16 bytes&gt;&quot;</source>
        <translation>%1:%2: &quot;member|console|viewer = &lt;base64 鍵（16 バイト以上）&gt;&quot; の形式が必要です</translation>
    </message>
    <message>
        <source>%1: the key file holds no key</source>
        <translation>%1: 鍵ファイルに鍵がありません</translation>
    </message>
    <message>
        <source>%1: cannot write the key file: %2</source>
        <translation>%1: 鍵ファイルに書き込めません: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::LiveCluster</name>
    <message>
        <source>no longer in the view</source>
        <translation>ビューから外れました</translation>
    </message>
    <message>
        <source>%1 (was %2)</source>
        <translation>%1（以前は %2）</translation>
    </message>
    <message>
        <source>load balancer: %1 → %2 (%3)</source>
        <translation>ロードバランサー: %1 → %2（%3）</translation>
    </message>
    <message>
        <source>load balancer: server %1 added to %2 (%3), no agent behind it</source>
        <translation>ロードバランサー: サーバー %1 が %2 に追加されました（%3）。背後にエージェントはありません</translation>
    </message>
    <message>
        <source>load balancer: server %1 removed from %2</source>
        <translation>ロードバランサー: サーバー %1 が %2 から削除されました</translation>
    </message>
</context>
<context>
    <name>Tribune::LiveClusterModel</name>
    <message>
        <source>Load balancer</source>
        <translation>ロードバランサー</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Membership</source>
        <translation>メンバーシップ</translation>
    </message>
    <message>
        <source>Member · HTTP/HTTPS</source>
        <translation>メンバー · HTTP/HTTPS</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>セッション</translation>
    </message>
    <message>
        <source>Req/s</source>
        <translation>リクエスト/s</translation>
    </message>
    <message>
        <source>Resp. ms</source>
        <translation>応答 ms</translation>
    </message>
    <message>
        <source>frontend</source>
        <translation>フロントエンド</translation>
    </message>
    <message>
        <source>no agent</source>
        <translation>エージェントなし</translation>
    </message>
    <message>
        <source>removed from the load balancer</source>
        <translation>ロードバランサーから削除</translation>
    </message>
    <message>
        <source>not a server</source>
        <translation>サーバーではない</translation>
    </message>
    <message>
        <source>no statistics: %1</source>
        <translation>統計なし: %1</translation>
    </message>
    <message>
        <source>%1/%2 up</source>
        <translation>%1/%2 稼働</translation>
    </message>
</context>
<context>
    <name>Tribune::LiveConfigFetch</name>
    <message>
        <source>%1: refused: %2</source>
        <translation>%1: 拒否されました: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>a member calls itself &quot;%1&quot;, which cannot name a folder; not read</source>
        <translation>メンバーが自身を「%1」と名乗っていますが、フォルダー名にできないため読み込みませんでした</translation>
    </message>
    <message>
        <source>%1: not read, the member is %2</source>
        <translation>%1: 読み込んでいません。メンバーは %2 です</translation>
    </message>
    <message>
        <source>the view holds %1 members, more than the %2 read at once</source>
        <translation>ビューには %1 メンバーが含まれており、一度に読み込める %2 を超えています</translation>
    </message>
    <message>
        <source>%1: not read: %2</source>
        <translation>%1: 読み込んでいません: %2</translation>
    </message>
    <message>
        <source>%1: refused file name &quot;%2&quot;</source>
        <translation>%1: ファイル名「%2」を拒否しました</translation>
    </message>
    <message>
        <source>%1: more than %2 bytes of files in all; the rest is not read</source>
        <translation>%1: ファイルの合計が %2 バイトを超えています。残りは読み込みません</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: 書き込めません: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::LivePages</name>
    <message>
        <source>unknown</source>
        <translation>不明</translation>
    </message>
    <message>
        <source>removed from the load balancer</source>
        <translation>ロードバランサーから削除</translation>
    </message>
    <message>
        <source>not a server</source>
        <translation>サーバーではない</translation>
    </message>
    <message>
        <source>%1 in %2, check %3, weight %4, since %5</source>
        <translation>%1（%2）、チェック %3、重み %4、%5 以降</translation>
    </message>
    <message>
        <source>none</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>%1 sessions, %2 req/s, in %3 kB/s, out %4 kB/s</source>
        <translation>セッション %1、%2 リクエスト/s、受信 %3 kB/s、送信 %4 kB/s</translation>
    </message>
    <message>
        <source>Frontend %1</source>
        <translation>フロントエンド %1</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Traffic in</source>
        <translation>受信トラフィック</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Backend</source>
        <translation>バックエンド</translation>
    </message>
    <message>
        <source>Load balancer</source>
        <translation>ロードバランサー</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>トラフィック</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>エージェント</translation>
    </message>
    <message>
        <source>none: only the load balancer knows this server. Run tribune-agent on it to see its membership, health and configuration here.</source>
        <translation>なし: このサーバーを認識しているのはロードバランサーだけです。メンバーシップ、ヘルス、構成をここに表示するには、サーバー上で tribune-agent を実行してください。</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>ドメイン</translation>
    </message>
    <message>
        <source>Membership</source>
        <translation>メンバーシップ</translation>
    </message>
    <message>
        <source>%1 since %2%3</source>
        <translation>%1（%2 以降）%3</translation>
    </message>
    <message>
        <source>Host and ports</source>
        <translation>ホストとポート</translation>
    </message>
    <message>
        <source>%1, membership %2, HTTP %3, HTTPS %4 (offset %5)</source>
        <translation>%1、メンバーシップ %2、HTTP %3、HTTPS %4（オフセット %5）</translation>
    </message>
    <message>
        <source>Port mappings</source>
        <translation>ポートマッピング</translation>
    </message>
    <message>
        <source>Incarnation</source>
        <translation>インカーネーション</translation>
    </message>
    <message>
        <source>%1 (started %2)</source>
        <translation>%1（%2 に開始）</translation>
    </message>
    <message>
        <source>Health</source>
        <translation>ヘルス</translation>
    </message>
    <message>
        <source>up %1, CPU %2 %, RSS %3</source>
        <translation>稼働時間 %1、CPU %2 %、RSS %3</translation>
    </message>
    <message>
        <source>no report yet</source>
        <translation>まだレポートなし</translation>
    </message>
    <message>
        <source>Probe round trips</source>
        <translation>プローブの往復時間</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>まだなし</translation>
    </message>
    <message>
        <source>%1 alive</source>
        <translation>稼働中 %1</translation>
    </message>
    <message>
        <source>%1 suspect</source>
        <translation>疑い %1</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>障害 %1</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>離脱 %1</translation>
    </message>
    <message>
        <source>%1 without an agent</source>
        <translation>エージェントなし %1</translation>
    </message>
    <message>
        <source>%1 serving</source>
        <translation>サービス中 %1</translation>
    </message>
    <message>
        <source>%1 DOWN</source>
        <translation>DOWN %1</translation>
    </message>
    <message>
        <source>%1 drained or in maintenance</source>
        <translation>ドレイン/メンテナンス中 %1</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>メンバー</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Frontends</source>
        <translation>フロントエンド</translation>
    </message>
    <message>
        <source>no servers</source>
        <translation>サーバーなし</translation>
    </message>
    <message>
        <source>%1 req/s, %2 sessions</source>
        <translation>%1 リクエスト/s、セッション %2</translation>
    </message>
    <message>
        <source>%1 (%2 req/s, %3 sessions)</source>
        <translation>%1（%2 リクエスト/s、セッション %3）</translation>
    </message>
    <message>
        <source>Busiest</source>
        <translation>高負荷</translation>
    </message>
    <message>
        <source>no traffic now</source>
        <translation>現在トラフィックなし</translation>
    </message>
    <message>
        <source>%1 %2 %3: %4</source>
        <translation>%1 %2 %3: %4</translation>
    </message>
    <message>
        <source>Recent problems</source>
        <translation>最近の問題</translation>
    </message>
    <message>
        <source>none in the event log</source>
        <translation>イベントログにはなし</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>グラフ</translation>
    </message>
</context>
<context>
    <name>Tribune::LiveSession</name>
    <message>
        <source>history: %1</source>
        <translation>履歴: %1</translation>
    </message>
    <message>
        <source>the flight recorder</source>
        <translation>フライトレコーダー</translation>
    </message>
    <message>
        <source>the cluster and the minutes before this %1: %2</source>
        <translation>この %1 の時点のクラスターとその直前の数分間: %2</translation>
    </message>
    <message>
        <source>no snapshot of this %1: %2</source>
        <translation>この %1 のスナップショットはありません: %2</translation>
    </message>
    <message>
        <source>the viewer key is read-only; connect with the console key to change members</source>
        <translation>閲覧者鍵は読み取り専用です。メンバーを変更するにはコンソール鍵で接続してください</translation>
    </message>
    <message>
        <source>no load balancer admin socket was given (--lb-socket)</source>
        <translation>ロードバランサーの管理ソケットが指定されていません（--lb-socket）</translation>
    </message>
</context>
<context>
    <name>Tribune::LiveView</name>
    <message>
        <source>not a server</source>
        <translation>サーバーではない</translation>
    </message>
    <message>
        <source>Filter members, domains, states… (Ctrl+F)</source>
        <translation>メンバー、ドメイン、状態などで絞り込み…（Ctrl+F）</translation>
    </message>
    <message>
        <source>All events</source>
        <translation>すべてのイベント</translation>
    </message>
    <message>
        <source>Search events</source>
        <translation>イベントを検索</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>The charts stack this sub-domain&apos;s members, one colour each.</source>
        <translation>グラフでは、このサブドメインのメンバーを 1 色ずつ積み上げて表示します。</translation>
    </message>
    <message>
        <source>The charts sum the members below this row.</source>
        <translation>グラフでは、この行の下にあるメンバーの合計を表示します。</translation>
    </message>
    <message>
        <source>Drain</source>
        <translation>ドレイン</translation>
    </message>
    <message>
        <source>Put in maintenance</source>
        <translation>メンテナンスに切り替え</translation>
    </message>
    <message>
        <source>%1 %2 member(s)? They stop taking new traffic:
%3</source>
        <translation>メンバー %2 件に「%1」を実行しますか？ 以下のメンバーは新しいトラフィックを受け付けなくなります:
%3</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>稼働</translation>
    </message>
    <message>
        <source>Maintenance</source>
        <translation>メンテナンス</translation>
    </message>
    <message>
        <source>Set Weight…</source>
        <translation>重みの設定…</translation>
    </message>
    <message>
        <source>Set Weight</source>
        <translation>重みの設定</translation>
    </message>
    <message>
        <source>Weight, in percent of the initial weight:</source>
        <translation>重み（初期値に対するパーセント）:</translation>
    </message>
    <message>
        <source>New Sub-domain…</source>
        <translation>新しいサブドメイン…</translation>
    </message>
    <message>
        <source>Connect with a well-known member too: a new node is configured through the agents</source>
        <translation>WKA メンバーにも接続してください: 新しいノードはエージェント経由で構成されます</translation>
    </message>
    <message>
        <source>Add a Node Like This One…</source>
        <translation>このノードと同様のノードを追加…</translation>
    </message>
    <message>
        <source>Add a Node to This Sub-domain…</source>
        <translation>このサブドメインにノードを追加…</translation>
    </message>
    <message>
        <source>Configure…</source>
        <translation>構成…</translation>
    </message>
</context>
<context>
    <name>Tribune::LoadBalancerLink</name>
    <message>
        <source>drain</source>
        <translation>ドレイン</translation>
    </message>
    <message>
        <source>maintenance</source>
        <translation>メンテナンス</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>稼働</translation>
    </message>
    <message>
        <source>not set to %1: the load balancer has no server for this member</source>
        <translation>%1 に設定しませんでした: ロードバランサーにこのメンバーのサーバーがありません</translation>
    </message>
    <message>
        <source>set to %1</source>
        <translation>%1 に設定しました</translation>
    </message>
    <message>
        <source>setting %1 failed: %2</source>
        <translation>%1 への設定に失敗しました: %2</translation>
    </message>
    <message>
        <source>weight not set: the load balancer has no server for this member</source>
        <translation>重みを設定しませんでした: ロードバランサーにこのメンバーのサーバーがありません</translation>
    </message>
    <message>
        <source>weight set to %1</source>
        <translation>重みを %1 に設定しました</translation>
    </message>
    <message>
        <source>setting the weight failed: %1</source>
        <translation>重みの設定に失敗しました: %1</translation>
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
        <translation>構成ファイル</translation>
    </message>
    <message>
        <source>%1 — Tribune</source>
        <translation>%1 — Tribune</translation>
    </message>
    <message>
        <source>Live cluster</source>
        <translation>ライブクラスター</translation>
    </message>
    <message>
        <source>Connect with a well-known member too (Cluster › Connect…): this comes from the members&apos; agents</source>
        <translation>WKA メンバーにも接続してください（クラスター › 接続…）: この情報はメンバーのエージェントから取得します</translation>
    </message>
    <message>
        <source>Connecting to %1… the connection shown stays until it answers.</source>
        <translation>%1に接続しています… 応答があるまで、表示中の接続はそのまま維持されます。</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>%1に接続しています…</translation>
    </message>
    <message>
        <source>The connection shown before stays.</source>
        <translation>以前に表示していた接続はそのまま維持されます。</translation>
    </message>
    <message>
        <source>Could not connect: %1</source>
        <translation>接続できませんでした: %1</translation>
    </message>
    <message>
        <source>Cannot Connect</source>
        <translation>接続できません</translation>
    </message>
    <message>
        <source>Tribune could not connect to the cluster: %1.</source>
        <translation>Tribuneはクラスターに接続できませんでした: %1。</translation>
    </message>
    <message>
        <source>Check the address and port in Cluster › Connect…, and that the agent or HAProxy runs there.</source>
        <translation>クラスター › 接続…でアドレスとポートを確認し、そこでエージェントまたはHAProxyが動作していることを確認してください。</translation>
    </message>
    <message>
        <source>&amp;Cluster</source>
        <translation>クラスター(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>接続(&amp;C)…</translation>
    </message>
    <message>
        <source>Ctrl+K</source>
        <translation>Ctrl+K</translation>
    </message>
    <message>
        <source>&amp;Open Cluster Folder…</source>
        <translation>クラスターフォルダーを開く(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Reload and Validate</source>
        <translation>再読み込みして検証(&amp;R)</translation>
    </message>
    <message>
        <source>Check the R&amp;unning Cluster&apos;s Files</source>
        <translation>稼働中のクラスターのファイルを検証(&amp;U)</translation>
    </message>
    <message>
        <source>Read every member&apos;s configuration files from its agent and validate the whole running cluster</source>
        <translation>各メンバーの構成ファイルをそのエージェントから読み込み、稼働中のクラスター全体を検証します</translation>
    </message>
    <message>
        <source>&amp;Add a Node…</source>
        <translation>ノードを追加(&amp;A)…</translation>
    </message>
    <message>
        <source>E&amp;xport Snapshot…</source>
        <translation>スナップショットをエクスポート(&amp;X)…</translation>
    </message>
    <message>
        <source>Write the running cluster to one file: members, health, HAProxy&apos;s view, every node&apos;s files (passwords redacted), findings, and the last events and samples</source>
        <translation>稼働中のクラスターを1つのファイルに書き出します: メンバー、ヘルス、HAProxyから見た状態、各ノードのファイル（パスワードは伏せ字）、検出事項、直近のイベントとサンプル</translation>
    </message>
    <message>
        <source>Co&amp;mpare With Snapshot…</source>
        <translation>スナップショットと比較(&amp;M)…</translation>
    </message>
    <message>
        <source>What changed since a snapshot: members, each domain&apos;s traffic, every node&apos;s files, findings</source>
        <translation>スナップショット以降の変更点: メンバー、各ドメインのトラフィック、各ノードのファイル、検出事項</translation>
    </message>
    <message>
        <source>Reading every member&apos;s files from its agent…</source>
        <translation>各メンバーのファイルをそのエージェントから読み込んでいます…</translation>
    </message>
    <message>
        <source>Some Members&apos; Files Were Not Read</source>
        <translation>一部のメンバーのファイルを読み込めませんでした</translation>
    </message>
    <message>
        <source>Cannot Read the Running Cluster</source>
        <translation>稼働中のクラスターを読み込めません</translation>
    </message>
    <message>
        <source>Open S&amp;napshot…</source>
        <translation>スナップショットを開く(&amp;N)…</translation>
    </message>
    <message>
        <source>Open a *.tribune-snapshot file in a window of its own, read-only</source>
        <translation>*.tribune-snapshotファイルを専用のウィンドウで、読み取り専用で開きます</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>環境設定(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Expand All</source>
        <translation>すべて展開(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Forget Departed Members</source>
        <translation>離脱したメンバーを消去(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Documentation</source>
        <translation>ドキュメント(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;About Tribune</source>
        <translation>Tribuneについて(&amp;A)</translation>
    </message>
    <message>
        <source>About Tribune</source>
        <translation>Tribuneについて</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Tribune %1&lt;/h3&gt;&lt;p&gt;A console for application-server clusters: the load balancer, the domains and their members, live; their configuration, validated and pushed; snapshots of it all.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Tribune %1&lt;/h3&gt;&lt;p&gt;アプリケーションサーバークラスターのためのコンソールです。ロードバランサー、ドメインとそのメンバーをライブで表示し、その構成を検証してプッシュし、そのすべてのスナップショットを取得します。&lt;/p&gt;&lt;p&gt;Qt %2でビルドされています。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>クラスター</translation>
    </message>
    <message>
        <source>Export Snapshot</source>
        <translation>スナップショットのエクスポート</translation>
    </message>
    <message>
        <source>Tribune snapshot (*.tribune-snapshot)</source>
        <translation>Tribuneスナップショット (*.tribune-snapshot)</translation>
    </message>
    <message>
        <source>Cannot Export a Snapshot</source>
        <translation>スナップショットをエクスポートできません</translation>
    </message>
    <message>
        <source>Taking a snapshot of the running cluster…</source>
        <translation>稼働中のクラスターのスナップショットを取得しています…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>キャンセル</translation>
    </message>
    <message>
        <source>Snapshot written: %1</source>
        <translation>スナップショットを書き出しました: %1</translation>
    </message>
    <message>
        <source>No snapshot: %1</source>
        <translation>スナップショットは作成されませんでした: %1</translation>
    </message>
    <message>
        <source>Compare With Snapshot</source>
        <translation>スナップショットと比較</translation>
    </message>
    <message>
        <source>Cannot Compare</source>
        <translation>比較できません</translation>
    </message>
    <message>
        <source>Taking the running cluster&apos;s state to compare…</source>
        <translation>比較のために稼働中のクラスターの状態を取得しています…</translation>
    </message>
    <message>
        <source>The running cluster could not be read: %1</source>
        <translation>稼働中のクラスターを読み込めませんでした: %1</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>%1を読み込んでいます…</translation>
    </message>
    <message>
        <source>running cluster</source>
        <translation>稼働中のクラスター</translation>
    </message>
    <message>
        <source>Cannot Configure the Node</source>
        <translation>ノードを構成できません</translation>
    </message>
    <message>
        <source>%1 did not send its files; it may have left the cluster.</source>
        <translation>%1がファイルを送信しませんでした。クラスターから離脱した可能性があります。</translation>
    </message>
    <message>
        <source>Open Cluster Folder</source>
        <translation>クラスターフォルダーを開く</translation>
    </message>
    <message>
        <source>Documentation</source>
        <translation>ドキュメント</translation>
    </message>
    <message>
        <source>The documentation is not installed here: it is the README.md and the docs folder of Tribune&apos;s sources.</source>
        <translation>ドキュメントはここにはインストールされていません。ドキュメントはTribuneのソースにあるREADME.mdとdocsフォルダーです。</translation>
    </message>
    <message>
        <source>No program here opens %1; open it with a text viewer.</source>
        <translation>%1を開くプログラムがありません。テキストビューアーで開いてください。</translation>
    </message>
    <message>
        <source>Cannot Open Cluster</source>
        <translation>クラスターを開けません</translation>
    </message>
    <message>
        <source>Some configuration files could not be read. The findings list each where it breaks; fix them and reload. The cluster shown before stays open.</source>
        <translation>一部の構成ファイルを読み込めませんでした。検出事項にそれぞれの問題箇所が示されています。修正して再読み込みしてください。以前に表示していたクラスターは開いたままです。</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1で障害が発生しました: %2</translation>
    </message>
    <message>
        <source>%1 (%2) failed: %3</source>
        <translation>%1 (%2)で障害が発生しました: %3</translation>
    </message>
    <message>
        <source>Member failed</source>
        <translation>メンバー障害</translation>
    </message>
    <message>
        <source>membership %1</source>
        <translation>メンバーシップ %1</translation>
    </message>
    <message>
        <source>load balancer %1</source>
        <translation>ロードバランサー %1</translation>
    </message>
    <message>
        <source>%1: not connected</source>
        <translation>%1: 未接続</translation>
    </message>
    <message>
        <source>%1: cannot connect: %2</source>
        <translation>%1: 接続できません: %2</translation>
    </message>
    <message>
        <source>%1: connected, waiting for data</source>
        <translation>%1: 接続済み、データ待ち</translation>
    </message>
    <message>
        <source>%1: no answer for %2 s</source>
        <translation>%1: 応答なし（%2 s）</translation>
    </message>
    <message>
        <source>%1: confirmed %2 s ago</source>
        <translation>%1: %2 s前に確認</translation>
    </message>
    <message>
        <source>health from %1 of %2 members</source>
        <translation>ヘルス取得元: メンバー %1/%2</translation>
    </message>
    <message>
        <source>F&amp;ull Screen</source>
        <translation>全画面表示(&amp;U)</translation>
    </message>
</context>
<context>
    <name>Tribune::Member</name>
    <message>
        <source>alive</source>
        <translation>稼働中</translation>
    </message>
    <message>
        <source>suspect</source>
        <translation>疑い</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>障害</translation>
    </message>
    <message>
        <source>left</source>
        <translation>離脱</translation>
    </message>
</context>
<context>
    <name>Tribune::MetricSeries</name>
    <message>
        <source>Requests per second</source>
        <translation>1秒あたりのリクエスト数</translation>
    </message>
    <message>
        <source>Current sessions</source>
        <translation>現在のセッション数</translation>
    </message>
    <message>
        <source>Bytes in per second</source>
        <translation>1秒あたりの受信バイト数</translation>
    </message>
    <message>
        <source>Bytes out per second</source>
        <translation>1秒あたりの送信バイト数</translation>
    </message>
    <message>
        <source>5xx responses per second</source>
        <translation>1秒あたりの5xx応答数</translation>
    </message>
    <message>
        <source>Response time (ms)</source>
        <translation>応答時間 (ms)</translation>
    </message>
    <message numerus="yes">
        <source>%n other(s)</source>
        <translation>
            <numerusform>その他%n件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tribune::NodeConfigStore</name>
    <message>
        <source>%1 is damaged or incomplete; the backup cannot be used</source>
        <translation>%1は破損しているか不完全です。このバックアップは使用できません</translation>
    </message>
    <message>
        <source>simulated failure</source>
        <translation>シミュレートされた障害</translation>
    </message>
    <message>
        <source>could not record the folders the change creates in %1: %2. Nothing was changed; check free space and permissions there and try again.</source>
        <translation>変更によって作成されるフォルダーを%1に記録できませんでした: %2。何も変更されていません。その場所の空き容量と権限を確認して、やり直してください。</translation>
    </message>
    <message>
        <source>could not write the new version of %1: %2. Nothing was changed; check free space and permissions in %3 and try again.</source>
        <translation>%1の新しいバージョンを書き込めませんでした: %2。何も変更されていません。%3の空き容量と権限を確認して、やり直してください。</translation>
    </message>
    <message>
        <source>could not save %1 in backup %2: %3. Nothing was changed; check free space and permissions in %4 and try again.</source>
        <translation>%1をバックアップ %2に保存できませんでした: %3。何も変更されていません。%4の空き容量と権限を確認して、やり直してください。</translation>
    </message>
    <message>
        <source>could not write the change&apos;s journal %1: %2. Nothing was changed; check free space and permissions there and try again.</source>
        <translation>変更のジャーナル%1を書き込めませんでした: %2。何も変更されていません。その場所の空き容量と権限を確認して、やり直してください。</translation>
    </message>
    <message>
        <source>could not replace %1: %2. The files already replaced were put back, so nothing was changed; check permissions and free space in %3 and try again.</source>
        <translation>%1を置き換えられませんでした: %2。既に置き換えたファイルは元に戻したため、何も変更されていません。%3の権限と空き容量を確認して、やり直してください。</translation>
    </message>
    <message>
        <source>could not replace %1: %2, and putting back the files already replaced failed too: %3. The configuration is now partly changed; copy the files of backup %4 (%5) back into repository/conf by hand.</source>
        <translation>%1を置き換えられませんでした: %2。さらに、既に置き換えたファイルを元に戻すことにも失敗しました: %3。構成は一部だけが変更された状態です。バックアップ %4 (%5)のファイルを手動でrepository/confにコピーして戻してください。</translation>
    </message>
    <message>
        <source>cannot prepare the backups and the audit log: %1. Nothing was changed; make %2 writable for the agent and try again.</source>
        <translation>バックアップと監査ログを準備できません: %1。何も変更されていません。%2をエージェントが書き込めるようにして、やり直してください。</translation>
    </message>
    <message>
        <source>the files were replaced (backup %1 holds the previous versions), but %2. A crash now could lose the change; check the disk&apos;s health.</source>
        <translation>ファイルは置き換えられました（以前のバージョンはバックアップ %1にあります）が、%2。今クラッシュすると変更が失われる可能性があります。ディスクの状態を確認してください。</translation>
    </message>
    <message>
        <source>the files were replaced (backup %1 holds the previous versions), but the audit log could not be written: %2. Check free space and add the change to %3 by hand.</source>
        <translation>ファイルは置き換えられました（以前のバージョンはバックアップ %1にあります）が、監査ログを書き込めませんでした: %2。空き容量を確認し、この変更を手動で%3に追記してください。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>an interrupted change (backup %1) could not be completed: %2; copy the files of %3 back into repository/conf by hand</source>
        <translation>中断された変更（バックアップ %1）を完了できませんでした: %2。%3のファイルを手動でrepository/confにコピーして戻してください</translation>
    </message>
    <message>
        <source>completed the change of backup %1 that a stop interrupted</source>
        <translation>停止によって中断されていたバックアップ %1の変更を完了しました</translation>
    </message>
    <message>
        <source>put back the files of backup %1: the change it began was interrupted</source>
        <translation>バックアップ %1のファイルを元に戻しました: このバックアップで開始した変更が中断されていました</translation>
    </message>
    <message numerus="yes">
        <source>removed %n file(s) left by interrupted changes</source>
        <translation>
            <numerusform>中断された変更が残したファイルを%n件削除しました</numerusform>
        </translation>
    </message>
    <message>
        <source>cannot inspect %1: %2</source>
        <translation>%1を調べられません: %2</translation>
    </message>
    <message>
        <source>cannot create %1: %2</source>
        <translation>%1を作成できません: %2</translation>
    </message>
    <message>
        <source>cannot set the owner of %1: %2</source>
        <translation>%1の所有者を設定できません: %2</translation>
    </message>
    <message>
        <source>cannot set the permissions of %1: %2</source>
        <translation>%1のアクセス権を設定できません: %2</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1に書き込めません: %2</translation>
    </message>
    <message>
        <source>cannot flush %1 to disk: %2</source>
        <translation>%1をディスクにフラッシュできません: %2</translation>
    </message>
    <message>
        <source>cannot close %1: %2</source>
        <translation>%1を閉じられません: %2</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>%1を読み込めません: %2</translation>
    </message>
    <message>
        <source>cannot flush folder %1 to disk: %2</source>
        <translation>フォルダー%1をディスクにフラッシュできません: %2</translation>
    </message>
    <message>
        <source>cannot rename %1 to %2: %3</source>
        <translation>%1の名前を%2に変更できません: %3</translation>
    </message>
    <message>
        <source>cannot remove %1: %2</source>
        <translation>%1を削除できません: %2</translation>
    </message>
    <message>
        <source>%1 exists but is not a folder</source>
        <translation>%1は存在しますが、フォルダーではありません</translation>
    </message>
    <message>
        <source>cannot create folder %1: %2</source>
        <translation>フォルダー%1を作成できません: %2</translation>
    </message>
    <message>
        <source>cannot append to %1: %2</source>
        <translation>%1に追記できません: %2</translation>
    </message>
    <message>
        <source>cannot open %1 for appending: %2</source>
        <translation>%1を追記用に開けません: %2</translation>
    </message>
    <message>
        <source>cannot create the agent&apos;s folder: %1. Make the node&apos;s CARBON_HOME writable for the agent and try again.</source>
        <translation>エージェントのフォルダーを作成できません: %1。ノードのCARBON_HOMEをエージェントが書き込めるようにして、やり直してください。</translation>
    </message>
    <message>
        <source>another change to this node is in progress (lock file %1); wait for it to finish and try again</source>
        <translation>このノードに対する別の変更が進行中です（ロックファイル %1）。完了するまで待ってから、やり直してください</translation>
    </message>
    <message>
        <source>cannot create the lock file %1; make %2 writable for the agent and try again</source>
        <translation>ロックファイル%1を作成できません。%2をエージェントが書き込めるようにして、やり直してください</translation>
    </message>
    <message>
        <source>%1. Nothing was changed; give the agent read access to the node&apos;s configuration and try again.</source>
        <translation>%1。何も変更されていません。ノードの構成に対する読み取りアクセス権をエージェントに与えて、やり直してください。</translation>
    </message>
    <message>
        <source>%1 is not a node: neither it nor its repository/conf holds axis2/axis2.xml or carbon.xml. Point the agent at the node&apos;s CARBON_HOME.</source>
        <translation>%1はノードではありません: そのフォルダーにもそのrepository/confにも、axis2/axis2.xmlやcarbon.xmlがありません。エージェントにはノードのCARBON_HOMEを指定してください。</translation>
    </message>
    <message>
        <source>the change names nobody as its actor; say who makes it, so the audit log can record it, and try again</source>
        <translation>この変更には実行者が指定されていません。監査ログに記録できるよう、誰が変更するのかを指定して、やり直してください</translation>
    </message>
    <message>
        <source>cannot create a temporary folder to validate the change: %1. Nothing was changed; free space in the temporary folder (or set TMPDIR) and try again.</source>
        <translation>変更を検証するための一時フォルダーを作成できません: %1。何も変更されていません。一時フォルダーの空き容量を確保して（またはTMPDIRを設定して）、やり直してください。</translation>
    </message>
    <message>
        <source>cannot copy %1 to %2 to validate the change: %3. Nothing was changed; free space in the temporary folder (or set TMPDIR) and try again.</source>
        <translation>変更を検証するために%1を%2にコピーできません: %3。何も変更されていません。一時フォルダーの空き容量を確保して（またはTMPDIRを設定して）、やり直してください。</translation>
    </message>
    <message>
        <source>the change was refused because the configuration would not parse; nothing was changed. Correct these and try again:
%1</source>
        <translation>構成を解析できなくなるため、変更は拒否されました。何も変更されていません。次の点を修正して、やり直してください:
%1</translation>
    </message>
    <message>
        <source>%1: %2 (to fix: %3) [%4]</source>
        <translation>%1: %2（修正案: %3） [%4]</translation>
    </message>
    <message>
        <source>the change was refused because validating the node found %1; nothing was changed. Correct these and try again:
%2</source>
        <translation>ノードの検証で%1が見つかったため、変更は拒否されました。何も変更されていません。次の点を修正して、やり直してください:
%2</translation>
    </message>
    <message>
        <source>%1 is both written and removed by the change; do one</source>
        <translation>%1はこの変更で書き込みと削除の両方が指定されています。どちらか一方にしてください</translation>
    </message>
    <message>
        <source>%1 and another file of the change are the same file, %2, through a symbolic link; change it under one name only</source>
        <translation>%1と、この変更に含まれる別のファイルは、シンボリックリンクを介して同じファイル%2です。1つの名前でのみ変更してください</translation>
    </message>
    <message>
        <source>there is no folder %1</source>
        <translation>フォルダー%1がありません</translation>
    </message>
    <message>
        <source>its copy of %1 no longer matches the sha256 in its manifest, so it was damaged</source>
        <translation>バックアップ内の%1のコピーがマニフェストのsha256と一致しなくなっているため、破損しています</translation>
    </message>
    <message>
        <source>cannot read backup %1: %2. List the node&apos;s backups (config backups) and choose one of them.</source>
        <translation>バックアップ %1を読み込めません: %2。ノードのバックアップを一覧表示して（config backups）、その中から選択してください。</translation>
    </message>
    <message>
        <source>cannot roll back to backup %1: %2. Nothing was changed; choose another backup from the list.</source>
        <translation>バックアップ %1にロールバックできません: %2。何も変更されていません。一覧から別のバックアップを選択してください。</translation>
    </message>
    <message>
        <source>the name is empty</source>
        <translation>名前が空です</translation>
    </message>
    <message>
        <source>it is an absolute path</source>
        <translation>絶対パスです</translation>
    </message>
    <message>
        <source>it contains a backslash</source>
        <translation>バックスラッシュが含まれています</translation>
    </message>
    <message>
        <source>it contains a control character</source>
        <translation>制御文字が含まれています</translation>
    </message>
    <message>
        <source>it has an empty part (&quot;//&quot; or a trailing &quot;/&quot;)</source>
        <translation>空の部分があります（&quot;//&quot;または末尾の&quot;/&quot;）</translation>
    </message>
    <message>
        <source>it contains &quot;.&quot; or &quot;..&quot;</source>
        <translation>&quot;.&quot;または&quot;..&quot;が含まれています</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a file of repository/conf: %2. Name files by their path relative to repository/conf with &apos;/&apos; between folders, such as axis2/axis2.xml.</source>
        <translation>「%1」はrepository/confのファイルではありません: %2。ファイルは、repository/confからの相対パスで、フォルダー間を&apos;/&apos;で区切って指定してください（例: axis2/axis2.xml）。</translation>
    </message>
    <message>
        <source>%1: %2 is a symbolic link to %3, which is not inside %4; the agent only changes files inside repository/conf. Replace the link with the file itself.</source>
        <translation>%1: %2は%3へのシンボリックリンクで、リンク先は%4の中にありません。エージェントが変更するのはrepository/conf内のファイルだけです。リンクを実際のファイルに置き換えてください。</translation>
    </message>
    <message>
        <source>nothing that exists</source>
        <translation>存在しない場所</translation>
    </message>
    <message>
        <source>%1: %2 is not a folder, so the file cannot be placed there; choose another path or remove %2</source>
        <translation>%1: %2はフォルダーではないため、そこにファイルを配置できません。別のパスを選択するか、%2を削除してください</translation>
    </message>
    <message>
        <source>%1: %2 is not a regular file (it is a folder or a special file); the agent only reads and writes regular files. Remove it or choose another path.</source>
        <translation>%1: %2は通常のファイルではありません（フォルダーまたは特殊ファイルです）。エージェントが読み書きするのは通常のファイルだけです。削除するか、別のパスを選択してください。</translation>
    </message>
</context>
<context>
    <name>Tribune::NodeDescription</name>
    <message>
        <source>load balancer</source>
        <translation>ロードバランサー</translation>
    </message>
    <message>
        <source>manager</source>
        <translation>マネージャー</translation>
    </message>
    <message>
        <source>worker</source>
        <translation>ワーカー</translation>
    </message>
    <message>
        <source>member</source>
        <translation>メンバー</translation>
    </message>
    <message>
        <source>%1 (localMemberHost %2)</source>
        <translation>%1 (localMemberHost %2)</translation>
    </message>
    <message>
        <source>%1 (servers file, line %2)</source>
        <translation>%1 (serversファイル、%2行目)</translation>
    </message>
    <message>
        <source>%1 resolves nowhere</source>
        <translation>%1は名前解決できません</translation>
    </message>
    <message>
        <source>unplaced: the files name no host and no servers file places it</source>
        <translation>未配置: ファイルにホスト名がなく、serversファイルでも配置されていません</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>ロール</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>ドメイン</translation>
    </message>
    <message>
        <source>Sub-domain</source>
        <translation>サブドメイン</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>（既定）</translation>
    </message>
    <message>
        <source>Clustering</source>
        <translation>クラスタリング</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>有効</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>無効</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>サーバー</translation>
    </message>
    <message>
        <source>Product</source>
        <translation>製品</translation>
    </message>
    <message>
        <source>Membership</source>
        <translation>メンバーシップ</translation>
    </message>
    <message>
        <source>(any)</source>
        <translation>（任意）</translation>
    </message>
    <message>
        <source>Port offset</source>
        <translation>ポートオフセット</translation>
    </message>
    <message>
        <source>HTTP / HTTPS</source>
        <translation>HTTP / HTTPS</translation>
    </message>
    <message>
        <source>Port mappings</source>
        <translation>ポートマッピング</translation>
    </message>
    <message>
        <source>Well-known members</source>
        <translation>WKA メンバー</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（なし）</translation>
    </message>
    <message>
        <source>Member drop time</source>
        <translation>メンバー除外時間</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Listening ports</source>
        <translation>待ち受けポート</translation>
    </message>
    <message>
        <source>Local registry</source>
        <translation>ローカルレジストリ</translation>
    </message>
    <message>
        <source>Mount %1</source>
        <translation>マウント %1</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>構成</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>ファイル</translation>
    </message>
</context>
<context>
    <name>Tribune::NodeDetailsPanel</name>
    <message>
        <source>No cluster open</source>
        <translation>クラスターが開かれていません</translation>
    </message>
    <message>
        <source>Fix:</source>
        <translation>修正案:</translation>
    </message>
    <message>
        <source>No problems found in this node&apos;s files.</source>
        <translation>このノードのファイルに問題は見つかりませんでした。</translation>
    </message>
    <message>
        <source>%1 nodes — %2</source>
        <translation>%1ノード — %2</translation>
    </message>
</context>
<context>
    <name>Tribune::NodeEditDialog</name>
    <message>
        <source>Severity</source>
        <translation>重大度</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>ノード</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>検出事項</translation>
    </message>
    <message>
        <source>Backup</source>
        <translation>バックアップ</translation>
    </message>
    <message>
        <source>When</source>
        <translation>日時</translation>
    </message>
    <message>
        <source>Who</source>
        <translation>実行者</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>&amp;Roll Back to This Backup</source>
        <translation>このバックアップにロールバック(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Push</source>
        <translation>プッシュ(&amp;P)</translation>
    </message>
    <message>
        <source>Configure %1</source>
        <translation>%1の構成</translation>
    </message>
    <message>
        <source>Make the form&apos;s changes on these nodes of the sub-domain &amp;too:</source>
        <translation>フォームの変更をサブドメインの次のノードにも適用(&amp;T):</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>ファイル(&amp;F):</translation>
    </message>
    <message>
        <source>What you write here is this node&apos;s file; the form&apos;s changes apply on top of it.</source>
        <translation>ここに記述した内容がこのノードのファイルになります。フォームの変更はその上に適用されます。</translation>
    </message>
    <message>
        <source>A rollback is itself kept as a backup, so it can be undone.</source>
        <translation>ロールバック自体もバックアップとして保存されるため、元に戻すことができます。</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>設定(&amp;S)</translation>
    </message>
    <message>
        <source>F&amp;iles</source>
        <translation>ファイル(&amp;I)</translation>
    </message>
    <message>
        <source>&amp;Changes</source>
        <translation>変更(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Backups</source>
        <translation>バックアップ(&amp;B)</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>%1 (%2) did not take the files: %3</source>
        <translation>%1 (%2)がファイルを受け付けませんでした: %3</translation>
    </message>
    <message>
        <source>No backups yet: the node&apos;s files were never changed through an agent.</source>
        <translation>バックアップはまだありません: このノードのファイルはエージェント経由で変更されたことがありません。</translation>
    </message>
    <message>
        <source>The Node Has These Files</source>
        <translation>現在のファイルと同じです</translation>
    </message>
    <message>
        <source>&amp;Roll Back to Backup %1</source>
        <translation>バックアップ %1にロールバック(&amp;R)</translation>
    </message>
    <message>
        <source>%1. Reading the running cluster&apos;s files again…</source>
        <translation>%1。稼働中のクラスターのファイルを再度読み込んでいます…</translation>
    </message>
    <message>
        <source>Cannot roll back: %1</source>
        <translation>ロールバックできません: %1</translation>
    </message>
    <message>
        <source>%1 — but the files read back from the cluster do not parse: %2</source>
        <translation>%1 — ただし、クラスターから読み戻したファイルを解析できません: %2</translation>
    </message>
    <message>
        <source>The change landed, but the running cluster&apos;s files could not be read again: %1</source>
        <translation>変更は反映されましたが、稼働中のクラスターのファイルを再度読み込めませんでした: %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; — member %2 · %3 / %4 · server %5</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; — メンバー %2 · %3 / %4 · サーバー %5</translation>
    </message>
    <message>
        <source>not live</source>
        <translation>非稼働</translation>
    </message>
    <message>
        <source>(default)</source>
        <translation>（既定）</translation>
    </message>
    <message>
        <source>The running cluster no longer has %1.</source>
        <translation>稼働中のクラスターに%1はもうありません。</translation>
    </message>
    <message>
        <source>%1, line %2 (%3)</source>
        <translation>%1、%2行目 (%3)</translation>
    </message>
    <message>
        <source>%1 is not a member of the running cluster: its files can be read and changes planned, not pushed. Connect, then Cluster › Check the Running Cluster&apos;s Files.</source>
        <translation>%1は稼働中のクラスターのメンバーではありません: ファイルの読み込みと変更のプランはできますが、プッシュはできません。接続してから、クラスター › 稼働中のクラスターのファイルを検証を実行してください。</translation>
    </message>
    <message>
        <source>Cannot push: %1</source>
        <translation>プッシュできません: %1</translation>
    </message>
    <message>
        <source>Nothing changed yet.</source>
        <translation>まだ何も変更されていません。</translation>
    </message>
    <message numerus="yes">
        <source>Push is disabled: the change would bring %n error(s) to the cluster.</source>
        <translation>
            <numerusform>プッシュは無効です: この変更によってクラスターにエラーが%n件発生します。</numerusform>
        </translation>
    </message>
    <message>
        <source>The cluster stays clean with this change.</source>
        <translation>この変更を加えても、クラスターに問題は発生しません。</translation>
    </message>
    <message>
        <source>No error; read the warnings before you push.</source>
        <translation>エラーはありません。プッシュする前に警告を確認してください。</translation>
    </message>
    <message>
        <source>%1 It cannot be pushed: %2.</source>
        <translation>%1プッシュはできません: %2。</translation>
    </message>
    <message>
        <source>&amp;Changes (%1)</source>
        <translation>変更 (%1)(&amp;C)</translation>
    </message>
    <message>
        <source>Pushing…</source>
        <translation>プッシュしています…</translation>
    </message>
    <message>
        <source>A push is still under way; wait for it to finish.</source>
        <translation>プッシュがまだ進行中です。完了するまでお待ちください。</translation>
    </message>
    <message>
        <source>Wait: a push or rollback is under way; the dialog closes once it has ended.</source>
        <translation>お待ちください: プッシュまたはロールバックが進行中です。完了するとダイアログが閉じます。</translation>
    </message>
    <message>
        <source>Discard the Changes?</source>
        <translation>変更を破棄しますか？</translation>
    </message>
    <message>
        <source>The changes to %1 have not been pushed. Close and discard them?</source>
        <translation>%1への変更はまだプッシュされていません。閉じて変更を破棄しますか？</translation>
    </message>
    <message>
        <source>Failed: %1. The Backups tab rolls a node back.</source>
        <translation>失敗しました: %1。ノードのロールバックは「バックアップ」タブで行えます。</translation>
    </message>
    <message>
        <source>%1 — the form shows the node&apos;s files now.</source>
        <translation>%1 — フォームには現在のノードのファイルが表示されています。</translation>
    </message>
    <message>
        <source>%1 is not a member of the running cluster; it cannot be rolled back from here.</source>
        <translation>%1は稼働中のクラスターのメンバーではないため、ここからロールバックすることはできません。</translation>
    </message>
    <message>
        <source>Roll Back %1?</source>
        <translation>%1をロールバックしますか？</translation>
    </message>
    <message>
        <source>Put back the files backup %1 saved on %2, as the diff below the list shows? What they replace is kept as a new backup.</source>
        <translation>バックアップ %1が%2に保存したファイルを、一覧の下の差分のとおりに元に戻しますか？置き換えられる現在のファイルは新しいバックアップとして保存されます。</translation>
    </message>
    <message>
        <source>Rolling %1 back to backup %2…</source>
        <translation>%1をバックアップ %2にロールバックしています…</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner</name>
    <message>
        <source>database %1 on %2:%3 as %4</source>
        <translation>%2:%3のデータベース%1（ユーザー%4）</translation>
    </message>
    <message>
        <source>%1 is not a MySQL or MariaDB URL; not checked</source>
        <translation>%1はMySQLまたはMariaDBのURLではありません。確認していません</translation>
    </message>
    <message>
        <source>Qt&apos;s MySQL driver (QMYSQL) is not installed: install libqt6sql6-mysql</source>
        <translation>QtのMySQLドライバー（QMYSQL）がインストールされていません: libqt6sql6-mysqlをインストールしてください</translation>
    </message>
    <message>
        <source>%1: the server refuses the user name or password; correct them in master-datasources.xml, or grant the user</source>
        <translation>%1: サーバーがユーザー名またはパスワードを拒否しました。master-datasources.xmlで修正するか、ユーザーに権限を付与してください</translation>
    </message>
    <message>
        <source>%1: the user may not use this database, or it does not exist; create it and grant the user (db check --create)</source>
        <translation>%1: ユーザーにこのデータベースを使用する権限がないか、データベースが存在しません。データベースを作成し、ユーザーに権限を付与してください（db check --create）</translation>
    </message>
    <message>
        <source>%1: there is no such database; create it (db check --create) and run dbscripts/mysql.sql</source>
        <translation>%1: そのようなデータベースはありません。データベースを作成し（db check --create）、dbscripts/mysql.sqlを実行してください</translation>
    </message>
    <message>
        <source>%1: cannot connect: %2</source>
        <translation>%1: 接続できません: %2</translation>
    </message>
    <message>
        <source>registry tables</source>
        <translation>レジストリのテーブル</translation>
    </message>
    <message>
        <source>user store tables</source>
        <translation>ユーザーストアのテーブル</translation>
    </message>
    <message>
        <source>%1: ready (%2)</source>
        <translation>%1: 使用可能 (%2)</translation>
    </message>
    <message>
        <source>%1: the database has no registry (REG_RESOURCE) or user store (UM_USER) tables; run dbscripts/mysql.sql in it, or start the first node with -Dsetup</source>
        <translation>%1: データベースにレジストリ（REG_RESOURCE）またはユーザーストア（UM_USER）のテーブルがありません。そのデータベースでdbscripts/mysql.sqlを実行するか、最初のノードを-Dsetup付きで起動してください</translation>
    </message>
    <message>
        <source>%1: not a MySQL or MariaDB URL naming a database</source>
        <translation>%1: データベースを指定したMySQLまたはMariaDBのURLではありません</translation>
    </message>
    <message>
        <source>%1:%2 as %3: %4</source>
        <translation>%1:%2（ユーザー%3）: %4</translation>
    </message>
    <message>
        <source>creating database %1: %2</source>
        <translation>データベース%1の作成: %2</translation>
    </message>
    <message>
        <source>granting %1 on %2: %3</source>
        <translation>%2に対する%1の付与: %3</translation>
    </message>
    <message>
        <source>no node &quot;%1&quot; to take as a template; the cluster&apos;s nodes are: %2</source>
        <translation>テンプレートにするノード「%1」がありません。クラスターのノードは次のとおりです: %2</translation>
    </message>
    <message>
        <source>host &quot;%1&quot; resolves nowhere; name it in the hosts file, or give its address</source>
        <translation>ホスト「%1」は名前解決できません。hostsファイルに記載するか、アドレスを指定してください</translation>
    </message>
    <message>
        <source>a node named &quot;%1&quot; exists already; give the new one another name</source>
        <translation>「%1」という名前のノードは既に存在します。新しいノードには別の名前を付けてください</translation>
    </message>
    <message>
        <source>no port offset below %1 is free on server %2</source>
        <translation>サーバー%2には、%1未満で空いているポートオフセットがありません</translation>
    </message>
    <message>
        <source>no node &quot;%1&quot;; the cluster&apos;s nodes are: %2</source>
        <translation>ノード「%1」がありません。クラスターのノードは次のとおりです: %2</translation>
    </message>
    <message>
        <source>%1: %2 is not a configuration file Tribune knows</source>
        <translation>%1: %2はTribuneが認識している構成ファイルではありません</translation>
    </message>
    <message>
        <source>%1 is in the plan but no live member is that node; start its agent, or take it out of the plan</source>
        <translation>%1はプランに含まれていますが、そのノードに該当する稼働中のメンバーがありません。そのエージェントを起動するか、プランから除外してください</translation>
    </message>
    <message>
        <source>the plan makes %1 new nodes; apply one at a time, each to its own provisioning agent</source>
        <translation>このプランは新しいノードを%1個作成します。1つずつ、それぞれ専用のプロビジョニング用エージェントに適用してください</translation>
    </message>
    <message>
        <source>the plan makes a new node, which has no agent yet: start `tribune-agent --provision --carbon-home DIR --key-file K --listen HOST:PORT` on its server and give that HOST:PORT (--to)</source>
        <translation>このプランは新しいノードを作成しますが、そのノードにはまだエージェントがありません: そのサーバーで`tribune-agent --provision --carbon-home DIR --key-file K --listen HOST:PORT`を起動し、そのHOST:PORTを指定してください（--to）</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: 書き込めません: %2</translation>
    </message>
    <message>
        <source>%1: cannot write the archive: %2</source>
        <translation>%1: アーカイブを書き込めません: %2</translation>
    </message>
    <message>
        <source>%1: cannot read the archive: %2</source>
        <translation>%1: アーカイブを読み込めません: %2</translation>
    </message>
    <message>
        <source>%1: more than %2 entries; not a plan</source>
        <translation>%1: エントリが%2個を超えています。プランではありません</translation>
    </message>
    <message>
        <source>%1: more than %2 MiB of files; not a plan</source>
        <translation>%1: ファイルが%2 MiBを超えています。プランではありません</translation>
    </message>
    <message>
        <source>%1: %2: cannot read: %3</source>
        <translation>%1: %2: 読み込めません: %3</translation>
    </message>
    <message>
        <source>%1: a damaged archive: %2</source>
        <translation>%1: アーカイブが破損しています: %2</translation>
    </message>
    <message>
        <source>%1: everything is inside the folder %2/; archive what the plan folder holds (tar -czf PLAN.tar.gz -C %2 .), or let node plan --out write the archive</source>
        <translation>%1: すべてがフォルダー%2/の中にあります。プランフォルダーの中身をアーカイブするか（tar -czf PLAN.tar.gz -C %2 .）、node plan --outでアーカイブを書き出してください</translation>
    </message>
    <message>
        <source>plan.json: larger than %1 KiB; not a plan</source>
        <translation>plan.json: %1 KiBを超えています。プランではありません</translation>
    </message>
    <message>
        <source>plan.json: not a plan: %1</source>
        <translation>plan.json: プランではありません: %1</translation>
    </message>
    <message>
        <source>more than %1 nodes; split the plan</source>
        <translation>ノードが%1個を超えています。プランを分割してください</translation>
    </message>
    <message>
        <source>%1: more than %2 files; a node&apos;s configuration has a handful</source>
        <translation>%1: ファイルが%2個を超えています。ノードの構成ファイルは数個のはずです</translation>
    </message>
    <message>
        <source>%1: cannot read: %2</source>
        <translation>%1: 読み込めません: %2</translation>
    </message>
    <message>
        <source>%1: no plan.json; a plan is what `tribunectl node plan --out` writes</source>
        <translation>%1: plan.jsonがありません。プランとは`tribunectl node plan --out`が書き出すものです</translation>
    </message>
    <message>
        <source>%1: the plan changes no node (no NODE/repository/conf below it)</source>
        <translation>%1: このプランはどのノードも変更しません（配下にNODE/repository/confがありません）</translation>
    </message>
    <message>
        <source>%1: &quot;%2&quot; is not a valid value</source>
        <translation>%1: 「%2」は有効な値ではありません</translation>
    </message>
    <message>
        <source>%1: the node has no such file</source>
        <translation>%1: ノードにそのファイルはありません</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not FILE:KEY=VALUE, e.g. axis2.xml:localMemberPort=4010</source>
        <translation>「%1」はFILE:KEY=VALUEの形式ではありません（例: axis2.xml:localMemberPort=4010）</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a file typed edits know; they are: %2</source>
        <translation>「%1」は型付き編集で扱えるファイルではありません。扱えるファイルは次のとおりです: %2</translation>
    </message>
    <message>
        <source>%1 has no key &quot;%2&quot; for typed edits; the keys are: %3</source>
        <translation>%1には型付き編集用のキー「%2」がありません。キーは次のとおりです: %3</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::AddNodeFlow</name>
    <message>
        <source>%1: port offset %2, membership port %3</source>
        <translation>%1: ポートオフセット %2、メンバーシップポート %3</translation>
    </message>
    <message>
        <source>no load balancer of the cluster serves the domain of %1; its loadbalancer.conf must be one of the cluster&apos;s nodes to be changed</source>
        <translation>%1のドメインを公開しているロードバランサーがクラスターにありません。変更するには、そのloadbalancer.confがクラスターのノードのいずれかに含まれている必要があります</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::DatasourceChecker</name>
    <message>
        <source>database created and granted to %1</source>
        <translation>データベースを作成し、%1に権限を付与しました</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::JoinWatcher</name>
    <message>
        <source>files written</source>
        <translation>ファイル書き込み完了</translation>
    </message>
    <message>
        <source>joined as the node</source>
        <translation>ノードとして参加</translation>
    </message>
    <message>
        <source>seen by every member</source>
        <translation>全メンバーが認識</translation>
    </message>
    <message>
        <source>server added in HAProxy</source>
        <translation>HAProxyにサーバーを追加</translation>
    </message>
    <message>
        <source>first health check UP</source>
        <translation>初回ヘルスチェックでUP</translation>
    </message>
    <message>
        <source>first request served through HAProxy</source>
        <translation>HAProxy経由で初回リクエストを処理</translation>
    </message>
    <message>
        <source>timed out after %1 s waiting for: %2</source>
        <translation>%1 s でタイムアウトしました。待機中のステップ: %2</translation>
    </message>
    <message>
        <source>%1 refused the key: %2</source>
        <translation>%1が鍵を拒否しました: %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 is a member already; its identity did not change</source>
        <translation>%1は既にメンバーです。IDは変わりませんでした</translation>
    </message>
    <message>
        <source>no other member may see it</source>
        <translation>認識できる他のメンバーはありません</translation>
    </message>
    <message numerus="yes">
        <source>by %n member(s)</source>
        <translation>
            <numerusform>%nメンバー</numerusform>
        </translation>
    </message>
    <message>
        <source>no load balancer in the view serves %1</source>
        <translation>メンバーシップビュー内に%1を公開しているロードバランサーがありません</translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent cannot be asked for its HAProxy socket (%1); give --lb-socket</source>
        <translation>ロードバランサーのエージェントにHAProxyソケットを問い合わせることができません（%1）。--lb-socketを指定してください</translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent names no HAProxy admin socket this machine can reach; give --lb-socket</source>
        <translation>ロードバランサーのエージェントが示すHAProxy管理ソケットには、このマシンから到達できません。--lb-socketを指定してください</translation>
    </message>
    <message>
        <source>the load balancer&apos;s agent did not tell its HAProxy socket (%1); give --lb-socket</source>
        <translation>ロードバランサーのエージェントがHAProxyソケットを通知しませんでした（%1）。--lb-socketを指定してください</translation>
    </message>
    <message>
        <source>--lb-socket: %1</source>
        <translation>--lb-socket: %1</translation>
    </message>
    <message>
        <source>backend %1</source>
        <translation>バックエンド %1</translation>
    </message>
    <message numerus="yes">
        <source>%n request(s) so far</source>
        <translation>
            <numerusform>これまでに%n件のリクエスト</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 is in the cluster and served through HAProxy</source>
        <translation>%1はクラスターに参加し、HAProxy経由でリクエストを処理しています</translation>
    </message>
    <message>
        <source>%1 is in the cluster; HAProxy not watched: %2</source>
        <translation>%1はクラスターに参加しています。HAProxyは監視していません: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::NodeEditFlow</name>
    <message>
        <source>the running cluster has no node &quot;%1&quot;; read its files again</source>
        <translation>稼働中のクラスターにノード「%1」がありません。ファイルを再度読み込んでください</translation>
    </message>
    <message>
        <source>%1: %2 is not a configuration file Tribune knows</source>
        <translation>%1: %2はTribuneが認識している構成ファイルではありません</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>not every node of the change is a member of the running cluster</source>
        <translation>変更対象のノードの一部が、稼働中のクラスターのメンバーではありません</translation>
    </message>
    <message>
        <source>these are a folder&apos;s files, not the running cluster&apos;s: connect, then read the running cluster&apos;s files</source>
        <translation>これらはフォルダーのファイルで、稼働中のクラスターのファイルではありません: 接続してから、稼働中のクラスターのファイルを読み込んでください</translation>
    </message>
    <message>
        <source>%1 is not a member of the running cluster: %2</source>
        <translation>%1は稼働中のクラスターのメンバーではありません: %2</translation>
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
        <translation>メンバーシップ</translation>
    </message>
    <message>
        <source>Clustering enabled</source>
        <translation>クラスタリング有効</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>ドメイン</translation>
    </message>
    <message>
        <source>Sub-domain</source>
        <translation>サブドメイン</translation>
    </message>
    <message>
        <source>Membership host</source>
        <translation>メンバーシップホスト</translation>
    </message>
    <message>
        <source>Membership port</source>
        <translation>メンバーシップポート</translation>
    </message>
    <message>
        <source>Well-known members</source>
        <translation>WKA メンバー</translation>
    </message>
    <message>
        <source>Ports</source>
        <translation>ポート</translation>
    </message>
    <message>
        <source>Port offset</source>
        <translation>ポートオフセット</translation>
    </message>
    <message>
        <source>Hosts</source>
        <translation>ホスト</translation>
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
        <translation>%2の%1コネクターのプロキシポート</translation>
    </message>
    <message>
        <source>Registry %1 (mounted at %2)</source>
        <translation>レジストリ %1（%2にマウント）</translation>
    </message>
    <message>
        <source>nothing</source>
        <translation>なし</translation>
    </message>
    <message>
        <source>Read-only</source>
        <translation>読み取り専用</translation>
    </message>
    <message>
        <source>Cache id</source>
        <translation>キャッシュID</translation>
    </message>
    <message>
        <source>Database configuration</source>
        <translation>データベース構成</translation>
    </message>
    <message>
        <source>User store</source>
        <translation>ユーザーストア</translation>
    </message>
    <message>
        <source>Datasource (JNDI name)</source>
        <translation>データソース（JNDI名）</translation>
    </message>
    <message>
        <source>Datasource %1</source>
        <translation>データソース %1</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
</context>
<context>
    <name>Tribune::Planner::PlanApplier</name>
    <message>
        <source>the plan changes nothing</source>
        <translation>このプランは何も変更しません</translation>
    </message>
    <message>
        <source>%1 (%2) did not take the files: %3</source>
        <translation>%1 (%2)がファイルを受け付けませんでした: %3</translation>
    </message>
    <message>
        <source>the nodes before it have their new files; rolling back takes each back (`tribunectl config rollback`)</source>
        <translation>それより前のノードには新しいファイルが適用済みです。ロールバックすると、それぞれ元に戻ります（`tribunectl config rollback`）</translation>
    </message>
    <message>
        <source>%1 (%2): %3</source>
        <translation>%1 (%2): %3</translation>
    </message>
    <message>
        <source>every node of the plan has its files; nothing to follow into the cluster</source>
        <translation>プランのすべてのノードにファイルがあります。クラスターへの参加を追跡する対象はありません</translation>
    </message>
</context>
<context>
    <name>Tribune::PreferencesDialog</name>
    <message>
        <source>C&amp;heck</source>
        <translation>確認(&amp;H)</translation>
    </message>
    <message>
        <source>Desktop &amp;notifications of failures</source>
        <translation>障害のデスクトップ通知(&amp;N)</translation>
    </message>
    <message>
        <source>Take a &amp;snapshot when a member fails</source>
        <translation>メンバーの障害時にスナップショットを取得(&amp;S)</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>環境設定</translation>
    </message>
    <message>
        <source>default: SQLite in the data folder</source>
        <translation>既定: データフォルダー内のSQLite</translation>
    </message>
    <message>
        <source>Where to keep history: empty for a SQLite file in the data folder, sqlite:///path/history.sqlite, mysql://user:password@host:port/database, postgresql://user:password@host:port/database for a history the team shares, or none to keep no history.</source>
        <translation>履歴の保存先: 空欄の場合はデータフォルダー内のSQLiteファイル、sqlite:///path/history.sqlite、チームで共有する履歴にはmysql://user:password@host:port/databaseまたはpostgresql://user:password@host:port/database、履歴を保存しない場合はnoneを指定します。</translation>
    </message>
    <message>
        <source>Open the database as the console would, and say where it is or what failed.</source>
        <translation>コンソールと同じ方法でデータベースを開き、その場所または失敗の内容を表示します。</translation>
    </message>
    <message>
        <source>A connection&apos;s own history URL, when it names one, wins over this one. A password in the URL is kept in %1, never in the settings file.</source>
        <translation>接続ごとに履歴URLが指定されている場合は、そちらが優先されます。URL内のパスワードは設定ファイルには保存されず、%1に保存されます。</translation>
    </message>
    <message>
        <source>A member&apos;s failure always shows in the status bar; this also shows it as a desktop notification where the desktop has a tray.</source>
        <translation>メンバーの障害は常にステータスバーに表示されます。これを有効にすると、デスクトップにトレイがある場合はデスクトップ通知としても表示されます。</translation>
    </message>
    <message>
        <source>&amp;History database:</source>
        <translation>履歴データベース(&amp;H):</translation>
    </message>
    <message>
        <source>A snapshot of the cluster and the minutes before, taken by itself when a member fails; the event log says where it is.</source>
        <translation>メンバーに障害が発生すると、クラスターとその直前数分間のスナップショットが自動的に取得されます。保存場所はイベントログに表示されます。</translation>
    </message>
    <message>
        <source> snapshots</source>
        <translation> 件</translation>
    </message>
    <message>
        <source>&amp;Keep the newest:</source>
        <translation>保持する最新のスナップショット(&amp;K):</translation>
    </message>
    <message>
        <source>Default &amp;chart window:</source>
        <translation>グラフの既定の期間(&amp;C):</translation>
    </message>
    <message>
        <source>No history will be kept.</source>
        <translation>履歴は保存されません。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>確認しています…</translation>
    </message>
    <message>
        <source>Opened %1.</source>
        <translation>%1を開きました。</translation>
    </message>
    <message>
        <source>System default (%1)</source>
        <translation>システムの既定（%1）</translation>
    </message>
    <message>
        <source>The console speaks this language from its next start.</source>
        <translation>コンソールは次回の起動時からこの言語で表示されます。</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>言語(&amp;L):</translation>
    </message>
</context>
<context>
    <name>Tribune::Protocol::AgentClient</name>
    <message>
        <source>The member &quot;%1&quot; has no host: write it as HOST:PORT, e.g. %2.</source>
        <translation>メンバー「%1」にホストがありません: HOST:PORTの形式で指定してください（例: %2）。</translation>
    </message>
    <message>
        <source>The member &quot;%1&quot; has no port: write it as HOST:PORT, e.g. %2.</source>
        <translation>メンバー「%1」にポートがありません: HOST:PORTの形式で指定してください（例: %2）。</translation>
    </message>
    <message>
        <source>The port of &quot;%1&quot; is not a number: write the member as HOST:PORT, e.g. %2.</source>
        <translation>「%1」のポートが数値ではありません: メンバーはHOST:PORTの形式で指定してください（例: %2）。</translation>
    </message>
    <message>
        <source>The port of &quot;%1&quot; is out of range: use a port from 1 to 65535, e.g. %2.</source>
        <translation>「%1」のポートが範囲外です: 1から65535までのポートを使用してください（例: %2）。</translation>
    </message>
    <message>
        <source>not connected to %1</source>
        <translation>%1に接続されていません</translation>
    </message>
    <message>
        <source>%1 did not answer within %2 s</source>
        <translation>%1が%2 s以内に応答しませんでした</translation>
    </message>
</context>
<context>
    <name>Tribune::Protocol::Connection</name>
    <message>
        <source>the connection or its handshake timed out</source>
        <translation>接続またはハンドシェイクがタイムアウトしました</translation>
    </message>
    <message>
        <source>the peer closed the connection</source>
        <translation>相手側が接続を閉じました</translation>
    </message>
    <message>
        <source>TLS: %1</source>
        <translation>TLS: %1</translation>
    </message>
    <message>
        <source>too many connections are proving their key at once; try again in a few seconds</source>
        <translation>鍵を証明中の接続が多すぎます。数秒後にやり直してください</translation>
    </message>
    <message>
        <source>the answer is larger than the %1-byte frame limit</source>
        <translation>応答が%1バイトのフレーム上限を超えています</translation>
    </message>
    <message>
        <source>the peer does not read what it is sent</source>
        <translation>相手側が送信されたデータを読み取っていません</translation>
    </message>
    <message>
        <source>a frame of %1 bytes exceeds the limit of %2</source>
        <translation>%1バイトのフレームが上限の%2を超えています</translation>
    </message>
    <message>
        <source>a frame of %1 bytes before the handshake is done exceeds its limit of %2</source>
        <translation>ハンドシェイク完了前の%1バイトのフレームが、その上限の%2を超えています</translation>
    </message>
    <message>
        <source>a frame is not a JSON object: %1</source>
        <translation>フレームがJSONオブジェクトではありません: %1</translation>
    </message>
    <message>
        <source>the other member speaks membership protocol %1 and this one %2: members of different tribune-agent versions cannot form one cluster; upgrade every node&apos;s tribune-agent together (stop all, upgrade, start: docs/PROTOCOL.md, &quot;Upgrading&quot;)</source>
        <translation>相手のメンバーはメンバーシッププロトコル%1、このメンバーは%2を使用しています: tribune-agentのバージョンが異なるメンバーは1つのクラスターを構成できません。すべてのノードのtribune-agentをまとめてアップグレードしてください（すべて停止し、アップグレードしてから起動: docs/PROTOCOL.mdの「Upgrading」を参照）</translation>
    </message>
    <message>
        <source>refused: %1</source>
        <translation>拒否されました: %1</translation>
    </message>
    <message>
        <source>protocol version %1 is not supported; this side speaks %2</source>
        <translation>プロトコルバージョン%1はサポートされていません。こちらはバージョン%2です</translation>
    </message>
    <message>
        <source>no %1 key in the key file</source>
        <translation>鍵ファイルに%1の鍵がありません</translation>
    </message>
    <message>
        <source>authentication failed</source>
        <translation>認証に失敗しました</translation>
    </message>
    <message>
        <source>the server could not prove it holds the cluster key</source>
        <translation>サーバーがクラスター鍵を保持していることを証明できませんでした</translation>
    </message>
    <message>
        <source>unexpected &quot;%1&quot; during the handshake</source>
        <translation>ハンドシェイク中に予期しない「%1」を受信しました</translation>
    </message>
</context>
<context>
    <name>Tribune::Protocol::Datagram</name>
    <message numerus="yes">
        <source>a datagram of %n byte(s) is not one of the protocol&apos;s</source>
        <translation>
            <numerusform>%nバイトのデータグラムは、このプロトコルのものではありません</numerusform>
        </translation>
    </message>
    <message>
        <source>not a membership datagram of protocol version 2</source>
        <translation>プロトコルバージョン2のメンバーシップデータグラムではありません</translation>
    </message>
    <message>
        <source>the datagram&apos;s proof does not match the member key</source>
        <translation>データグラムの証明がメンバー鍵と一致しません</translation>
    </message>
    <message>
        <source>the datagram holds no JSON object</source>
        <translation>データグラムにJSONオブジェクトが含まれていません</translation>
    </message>
    <message>
        <source>the datagram is stamped %1 ms away from this host&apos;s clock</source>
        <translation>データグラムのタイムスタンプがこのホストの時計と%1 msずれています</translation>
    </message>
</context>
<context>
    <name>Tribune::Report</name>
    <message>
        <source>fix: %1</source>
        <translation>修正案: %1</translation>
    </message>
    <message>
        <source>%1 checked: %2
</source>
        <translation>%1を検証しました: %2
</translation>
    </message>
    <message>
        <source>1 node</source>
        <translation>1ノード</translation>
    </message>
    <message>
        <source>%1 nodes</source>
        <translation>%1ノード</translation>
    </message>
</context>
<context>
    <name>Tribune::SecretStore</name>
    <message>
        <source>the keychain did not answer within %1 s</source>
        <translation>キーチェーンが%1 s以内に応答しませんでした</translation>
    </message>
    <message>
        <source>cannot create the folder of %1</source>
        <translation>%1のフォルダーを作成できません</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1に書き込めません: %2</translation>
    </message>
    <message>
        <source>the platform keychain</source>
        <translation>プラットフォームのキーチェーン</translation>
    </message>
    <message>
        <source>%1 (readable by you only)</source>
        <translation>%1（本人のみ読み取り可能）</translation>
    </message>
    <message>
        <source>the keychain refused to keep the password: %1</source>
        <translation>キーチェーンがパスワードの保存を拒否しました: %1</translation>
    </message>
    <message>
        <source>the keychain did not give the password: %1</source>
        <translation>キーチェーンからパスワードを取得できませんでした: %1</translation>
    </message>
</context>
<context>
    <name>Tribune::SessionKeeper</name>
    <message>
        <source>the load balancer %1</source>
        <translation>ロードバランサー %1</translation>
    </message>
    <message>
        <source>the membership port %1</source>
        <translation>メンバーシップポート %1</translation>
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
        <translation>%1: 同じ場所に書き込めません: %2</translation>
    </message>
    <message>
        <source>%1: %2; nothing was written</source>
        <translation>%1: %2。何も書き込まれていません</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>キャンセルされました</translation>
    </message>
    <message>
        <source>cannot rename %1 into place: %2</source>
        <translation>%1を所定の場所に名前変更できません: %2</translation>
    </message>
    <message>
        <source>no such file</source>
        <translation>そのようなファイルはありません</translation>
    </message>
    <message>
        <source>%1 bytes, more than the %2 a snapshot may have</source>
        <translation>%1バイトで、スナップショットの上限の%2を超えています</translation>
    </message>
    <message>
        <source>not a Tribune snapshot (%1)</source>
        <translation>Tribuneのスナップショットではありません (%1)</translation>
    </message>
    <message>
        <source>not a Tribune snapshot</source>
        <translation>Tribuneのスナップショットではありません</translation>
    </message>
    <message>
        <source>format %1, which this Tribune (format %2) cannot read; open it with a newer one</source>
        <translation>形式%1です。このTribune（形式%2）では読み込めません。より新しいTribuneで開いてください</translation>
    </message>
    <message>
        <source>%1 members, more than the %2 a snapshot may have</source>
        <translation>メンバーが%1件で、スナップショットの上限の%2を超えています</translation>
    </message>
    <message>
        <source>%1 events and samples, more than the %2 a snapshot may have</source>
        <translation>イベントとサンプルが%1件で、スナップショットの上限の%2を超えています</translation>
    </message>
    <message>
        <source>the samples of %1 are damaged (%2 bytes for %3 samples)</source>
        <translation>%1のサンプルが破損しています（%3件のサンプルに対して%2バイト）</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::FlightRecorder</name>
    <message>
        <source>cannot create %1</source>
        <translation>%1を作成できません</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::Report</name>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: 書き込めません: %2</translation>
    </message>
    <message>
        <source>%1: cannot create the folder</source>
        <translation>%1: フォルダーを作成できません</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotCollector</name>
    <message>
        <source>asking %1 for the members</source>
        <translation>%1にメンバーを問い合わせています</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <source>asking %n member(s) for their health</source>
        <translation>
            <numerusform>メンバー%n件にヘルスを問い合わせています</numerusform>
        </translation>
    </message>
    <message>
        <source>health of %1: %2</source>
        <translation>%1のヘルス: %2</translation>
    </message>
    <message>
        <source>reading every live member&apos;s configuration files</source>
        <translation>稼働中の全メンバーの構成ファイルを読み込んでいます</translation>
    </message>
    <message>
        <source>configuration files: cannot create a temporary folder: %1</source>
        <translation>構成ファイル: 一時フォルダーを作成できません: %1</translation>
    </message>
    <message>
        <source>configuration files: %1</source>
        <translation>構成ファイル: %1</translation>
    </message>
    <message>
        <source>HAProxy: no admin socket was given (--lb-socket)</source>
        <translation>HAProxy: 管理ソケットが指定されていません（--lb-socket）</translation>
    </message>
    <message>
        <source>HAProxy: %1</source>
        <translation>HAProxy: %1</translation>
    </message>
    <message>
        <source>asking HAProxy at %1</source>
        <translation>%1のHAProxyに問い合わせています</translation>
    </message>
    <message>
        <source>HAProxy %1: %2</source>
        <translation>HAProxy %1: %2</translation>
    </message>
    <message>
        <source>events and samples: no history was asked for</source>
        <translation>イベントとサンプル: 履歴が指定されていません</translation>
    </message>
    <message>
        <source>reading the history&apos;s events and samples</source>
        <translation>履歴のイベントとサンプルを読み込んでいます</translation>
    </message>
    <message>
        <source>events and samples: %1</source>
        <translation>イベントとサンプル: %1</translation>
    </message>
    <message>
        <source>events and samples: %1 holds none for this window</source>
        <translation>イベントとサンプル: %1にはこの期間のデータがありません</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotDiff</name>
    <message>
        <source>not served</source>
        <translation>振り分け対象外</translation>
    </message>
    <message>
        <source>gone (was %1)</source>
        <translation>消失（以前: %1）</translation>
    </message>
    <message>
        <source>state %1 → %2</source>
        <translation>状態 %1 → %2</translation>
    </message>
    <message>
        <source>HAProxy %1 → %2</source>
        <translation>HAProxy %1 → %2</translation>
    </message>
    <message>
        <source>weight %1 → %2</source>
        <translation>重み %1 → %2</translation>
    </message>
    <message>
        <source>incarnation %1 → %2 (it restarted or rejoined)</source>
        <translation>インカーネーション %1 → %2（再起動または再参加）</translation>
    </message>
    <message>
        <source>new (%1)</source>
        <translation>新規（%1）</translation>
    </message>
    <message>
        <source>traffic over the last minute of each (%1 → %2):</source>
        <translation>それぞれの直近1分間のトラフィック（%1 → %2）:</translation>
    </message>
    <message>
        <source>not sampled</source>
        <translation>サンプルなし</translation>
    </message>
    <message>
        <source>%1 req/s, %2 5xx/s, %3 ms</source>
        <translation>%1 リクエスト/s、%2 5xx/s、%3 ms</translation>
    </message>
    <message>
        <source>new finding: %1 %2: %3</source>
        <translation>新しい検出事項: %1 %2: %3</translation>
    </message>
    <message>
        <source>resolved: %1 %2: %3</source>
        <translation>解決済み: %1 %2: %3</translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotExport</name>
    <message>
        <source>%1; nothing was written</source>
        <translation>%1。何も書き込まれていません</translation>
    </message>
    <message>
        <source>Cancelled; nothing was written.</source>
        <translation>キャンセルされました。何も書き込まれていません。</translation>
    </message>
    <message>
        <source>writing %1</source>
        <translation>%1を書き込んでいます</translation>
    </message>
    <message>
        <source>%1
Not in it: %2</source>
        <translation>%1
含まれていないもの: %2</translation>
    </message>
    <message>
        <source>%1: %2, %3, %4</source>
        <translation>%1: %2、%3、%4</translation>
    </message>
    <message numerus="yes">
        <source>%n member(s)</source>
        <translation>
            <numerusform>メンバー %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n finding(s)</source>
        <translation>
            <numerusform>検出事項 %n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n event(s)</source>
        <translation>
            <numerusform>イベント %n 件</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Tribune::Snapshot::SnapshotReplay</name>
    <message>
        <source>%1 at %2 (holds passwords)</source>
        <translation>%2時点の%1（パスワードを含む）</translation>
    </message>
    <message>
        <source>%1 at %2</source>
        <translation>%2時点の%1</translation>
    </message>
    <message>
        <source>not captured</source>
        <translation>未取得</translation>
    </message>
    <message>
        <source>the snapshot holds no configuration files</source>
        <translation>スナップショットに構成ファイルが含まれていません</translation>
    </message>
    <message>
        <source>cannot create a temporary folder: %1; free space there (or set TMPDIR) and try again</source>
        <translation>一時フォルダーを作成できません: %1。その場所の空き容量を確保して（またはTMPDIRを設定して）、やり直してください</translation>
    </message>
    <message>
        <source>snapshot of %1</source>
        <translation>snapshot of %1</translation>
    </message>
    <message>
        <source>cannot create %1</source>
        <translation>%1を作成できません</translation>
    </message>
    <message>
        <source>refused node name &quot;%1&quot;</source>
        <translation>ノード名「%1」は拒否されました</translation>
    </message>
    <message>
        <source>%1: refused file name &quot;%2&quot;</source>
        <translation>%1: ファイル名「%2」は拒否されました</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: 書き込めません: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::SnapshotCompareDialog</name>
    <message>
        <source>Compare Snapshots</source>
        <translation>スナップショットの比較</translation>
    </message>
    <message numerus="yes">
        <source>From &lt;b&gt;%1&lt;/b&gt; to &lt;b&gt;%2&lt;/b&gt;: %n member(s) changed, </source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;から&lt;b&gt;%2&lt;/b&gt;まで: 変更されたメンバー%n件、 </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) differ, </source>
        <translation>
            <numerusform>差分のあるファイル%n件、 </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new finding(s), </source>
        <translation>
            <numerusform>新しい検出事項%n件、 </numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n resolved.</source>
        <translation>
            <numerusform>解決済み%n件。</numerusform>
        </translation>
    </message>
    <message>
        <source>Change</source>
        <translation>変更</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>メンバー</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>ノード</translation>
    </message>
    <message>
        <source>What</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>added</source>
        <translation>追加</translation>
    </message>
    <message>
        <source>gone</source>
        <translation>消失</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>変更</translation>
    </message>
    <message>
        <source>Domain</source>
        <translation>ドメイン</translation>
    </message>
    <message>
        <source>Requests/s before</source>
        <translation>リクエスト/s（前）</translation>
    </message>
    <message>
        <source>after</source>
        <translation>（後）</translation>
    </message>
    <message>
        <source>5xx/s before</source>
        <translation>5xx/s（前）</translation>
    </message>
    <message>
        <source>Response ms before</source>
        <translation>応答 ms（前）</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>No samples of this domain in the minute before the snapshot</source>
        <translation>スナップショット前の1分間に、このドメインのサンプルはありません</translation>
    </message>
    <message>
        <source>Severity</source>
        <translation>重大度</translation>
    </message>
    <message>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>問題</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新規</translation>
    </message>
    <message>
        <source>resolved</source>
        <translation>解決済み</translation>
    </message>
    <message>
        <source>Members (%1)</source>
        <translation>メンバー (%1)</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>トラフィック</translation>
    </message>
    <message>
        <source>Files (%1)</source>
        <translation>ファイル (%1)</translation>
    </message>
    <message>
        <source>Findings (%1)</source>
        <translation>検出事項 (%1)</translation>
    </message>
    <message>
        <source>Cannot Compare</source>
        <translation>比較できません</translation>
    </message>
</context>
<context>
    <name>Tribune::SnapshotPdfReport</name>
    <message>
        <source>per second</source>
        <translation>1秒あたり</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>Snapshot of %1</source>
        <translation>%1のスナップショット</translation>
    </message>
    <message>
        <source>This snapshot holds passwords: it was taken with secrets included.</source>
        <translation>このスナップショットにはパスワードが含まれています: シークレットを含めて取得されました。</translation>
    </message>
    <message>
        <source>Taken</source>
        <translation>取得日時</translation>
    </message>
    <message>
        <source>By</source>
        <translation>取得者</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>期間</translation>
    </message>
    <message>
        <source>events from %1, samples from %2</source>
        <translation>イベント: %1以降、サンプル: %2以降</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>メンバー</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>検出事項</translation>
    </message>
    <message>
        <source>Console</source>
        <translation>コンソール</translation>
    </message>
    <message>
        <source>Not captured</source>
        <translation>未取得</translation>
    </message>
    <message>
        <source>Domain / sub-domain</source>
        <translation>ドメイン / サブドメイン</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>ノード</translation>
    </message>
    <message>
        <source>Member</source>
        <translation>メンバー</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>HAProxy</source>
        <translation>HAProxy</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>重み</translation>
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
        <translation>クラスターのファイルに問題は見つかりませんでした。</translation>
    </message>
    <message>
        <source>Traffic by domain</source>
        <translation>ドメイン別トラフィック</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>イベント</translation>
    </message>
    <message>
        <source>The newest %1 of %2 events; the CSV export has them all.</source>
        <translation>全%2件のイベントのうち、最新の%1件です。CSVエクスポートにはすべてのイベントが含まれます。</translation>
    </message>
    <message>
        <source>%1: cannot write: %2</source>
        <translation>%1: 書き込めません: %2</translation>
    </message>
</context>
<context>
    <name>Tribune::SnapshotWindow</name>
    <message>
        <source>Snapshot: %1 — Tribune</source>
        <translation>スナップショット: %1 — Tribune</translation>
    </message>
    <message>
        <source>a snapshot is read-only: connect to the cluster to change it</source>
        <translation>スナップショットは読み取り専用です: 変更するにはクラスターに接続してください</translation>
    </message>
    <message>
        <source>Cluster at the Time</source>
        <translation>取得時点のクラスター</translation>
    </message>
    <message>
        <source>Configuration Files</source>
        <translation>構成ファイル</translation>
    </message>
    <message>
        <source>No configuration files: %1</source>
        <translation>構成ファイルなし: %1</translation>
    </message>
    <message>
        <source>they could not be read</source>
        <translation>読み込めませんでした</translation>
    </message>
    <message>
        <source>HAProxy</source>
        <translation>HAProxy</translation>
    </message>
    <message numerus="yes">
        <source>Read-only snapshot of %1 · %n member(s)</source>
        <translation>
            <numerusform>%1の読み取り専用スナップショット · メンバー%n件</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (when taken)</source>
        <translation>%1（取得時点）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Snapshot of %1&lt;/b&gt;, taken %2%3 — read-only; nothing here is live.</source>
        <translation>&lt;b&gt;%1のスナップショット&lt;/b&gt;、取得日時 %2%3 — 読み取り専用です。ここに表示される情報はライブではありません。</translation>
    </message>
    <message>
        <source> by %1</source>
        <translation> (取得者: %1)</translation>
    </message>
    <message>
        <source>&lt;b&gt;This snapshot holds passwords&lt;/b&gt;: it was taken with secrets included. Share it with care.</source>
        <translation>&lt;b&gt;このスナップショットにはパスワードが含まれています&lt;/b&gt;: シークレットを含めて取得されました。取り扱いには注意してください。</translation>
    </message>
    <message>
        <source>Not captured: %1</source>
        <translation>未取得: %1</translation>
    </message>
    <message>
        <source>The cluster as it was at that second, rebuilt from the snapshot&apos;s events</source>
        <translation>スナップショットのイベントから再構成した、その時点（秒単位）のクラスターの状態</translation>
    </message>
    <message>
        <source>◀ Event</source>
        <translation>◀ イベント</translation>
    </message>
    <message>
        <source>The event before the moment shown</source>
        <translation>表示中の時点より前のイベント</translation>
    </message>
    <message>
        <source>Event ▶</source>
        <translation>イベント ▶</translation>
    </message>
    <message>
        <source>The event after the moment shown</source>
        <translation>表示中の時点より後のイベント</translation>
    </message>
    <message>
        <source>When Taken</source>
        <translation>取得時点</translation>
    </message>
    <message>
        <source>Shown at:</source>
        <translation>表示時点:</translation>
    </message>
    <message>
        <source>HAProxy&apos;s answers were not captured.</source>
        <translation>HAProxyの応答は取得されていません。</translation>
    </message>
    <message>
        <source>&amp;Snapshot</source>
        <translation>スナップショット(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Open Snapshot…</source>
        <translation>スナップショットを開く(&amp;O)…</translation>
    </message>
    <message>
        <source>Co&amp;mpare With…</source>
        <translation>別のスナップショットと比較(&amp;M)…</translation>
    </message>
    <message>
        <source>Another snapshot against this one: members, each domain&apos;s traffic, every node&apos;s files, findings</source>
        <translation>別のスナップショットをこのスナップショットと比較します: メンバー、各ドメインのトラフィック、各ノードのファイル、検出事項</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>CSVをエクスポート(&amp;C)…</translation>
    </message>
    <message>
        <source>members.csv, events.csv and samples.csv in a folder</source>
        <translation>フォルダー内のmembers.csv、events.csv、samples.csv</translation>
    </message>
    <message>
        <source>Export &amp;PDF Report…</source>
        <translation>PDFレポートをエクスポート(&amp;P)…</translation>
    </message>
    <message>
        <source>The summary, the members, findings, each domain&apos;s charts and the events, as one PDF</source>
        <translation>概要、メンバー、検出事項、各ドメインのグラフ、イベントを1つのPDFにまとめます</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>閉じる(&amp;C)</translation>
    </message>
    <message>
        <source>Compare With Snapshot</source>
        <translation>スナップショットと比較</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>%1を読み込んでいます…</translation>
    </message>
    <message>
        <source>this snapshot</source>
        <translation>このスナップショット</translation>
    </message>
    <message>
        <source>Export CSV Into</source>
        <translation>CSVのエクスポート先</translation>
    </message>
    <message>
        <source>Writing CSV files into %1…</source>
        <translation>%1にCSVファイルを書き込んでいます…</translation>
    </message>
    <message>
        <source>Cannot Export CSV</source>
        <translation>CSVをエクスポートできません</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>%1を書き込みました</translation>
    </message>
    <message>
        <source>Export PDF Report</source>
        <translation>PDFレポートのエクスポート</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDFドキュメント (*.pdf)</translation>
    </message>
    <message>
        <source>Writing the report to %1…</source>
        <translation>%1にレポートを書き込んでいます…</translation>
    </message>
    <message>
        <source>Cannot Export the Report</source>
        <translation>レポートをエクスポートできません</translation>
    </message>
    <message>
        <source>Open Snapshot</source>
        <translation>スナップショットを開く</translation>
    </message>
    <message>
        <source>Cannot Open the Snapshot</source>
        <translation>スナップショットを開けません</translation>
    </message>
    <message>
        <source>Tribune snapshots (*.tribune-snapshot);;All files (*)</source>
        <translation>Tribuneスナップショット (*.tribune-snapshot);;すべてのファイル (*)</translation>
    </message>
</context>
<context>
    <name>Tribune::TrafficCharts</name>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Paused: the charts are not updating. Press Resume to follow the cluster again.</source>
        <translation>一時停止中: グラフは更新されていません。クラスターの追跡を再開するには「再開」を押してください。</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>再開</translation>
    </message>
    <message>
        <source>Total: %1</source>
        <translation>合計: %1</translation>
    </message>
    <message>
        <source>Save Charts</source>
        <translation>グラフの保存</translation>
    </message>
    <message>
        <source>PNG image (*.png);;PDF document (*.pdf)</source>
        <translation>PNG画像 (*.png);;PDFドキュメント (*.pdf)</translation>
    </message>
</context>
<context>
    <name>Tribune::UrlPasswordField</name>
    <message>
        <source>password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <source>The database password, kept out of the URL shown and of the settings file.</source>
        <translation>データベースのパスワードです。表示されるURLと設定ファイルには含まれません。</translation>
    </message>
</context>
<context>
    <name>Tribune::Validator</name>
    <message>
        <source>%1 (resolves nowhere)</source>
        <translation>%1（名前解決できません）</translation>
    </message>
    <message>
        <source>(unplaced)</source>
        <translation>（未配置）</translation>
    </message>
    <message>
        <source>unknown product</source>
        <translation>不明な製品</translation>
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
        <translation>dbConfig「%1」</translation>
    </message>
    <message>
        <source>the user store</source>
        <translation>ユーザーストア</translation>
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
        <translation>ユーザーストアは%1にありますが、%2のマネージャーはユーザーを%3に保存しています: マネージャーで追加したユーザーはここでログインできません</translation>
    </message>
    <message>
        <source>set &lt;Property name=&quot;dataSource&quot;&gt; to %1, this node&apos;s datasource for %2</source>
        <translation>&lt;Property name=&quot;dataSource&quot;&gt;を、%2用のこのノードのデータソースである%1に設定してください</translation>
    </message>
    <message>
        <source>add a datasource for %1 to master-datasources.xml and point &lt;Property name=&quot;dataSource&quot;&gt; at it</source>
        <translation>master-datasources.xmlに%1用のデータソースを追加し、&lt;Property name=&quot;dataSource&quot;&gt;でそれを指定してください</translation>
    </message>
    <message>
        <source>%1 uses datasource %2, which master-datasources.xml does not define</source>
        <translation>%1はデータソース%2を使用していますが、master-datasources.xmlには定義されていません</translation>
    </message>
    <message>
        <source>add a datasource with &lt;jndiConfig&gt;&lt;name&gt;%1&lt;/name&gt; or correct the reference</source>
        <translation>&lt;jndiConfig&gt;&lt;name&gt;%1&lt;/name&gt;を持つデータソースを追加するか、参照を修正してください</translation>
    </message>
    <message>
        <source>correct the reference to %1, defined and used nowhere else, or add a datasource with &lt;jndiConfig&gt;&lt;name&gt;%2&lt;/name&gt;</source>
        <translation>参照先の%1（他のどこにも定義・使用されていません）を修正するか、&lt;jndiConfig&gt;&lt;name&gt;%2&lt;/name&gt;を持つデータソースを追加してください</translation>
    </message>
    <message>
        <source> or </source>
        <translation> または </translation>
    </message>
    <message>
        <source>datasource %1 (%2) belongs to %3, whose files Tribune does not read, so whether it is used cannot be told</source>
        <translation>データソース%1（%2）は%3に属していますが、Tribuneはそのファイルを読み込まないため、使用されているかどうかは判断できません</translation>
    </message>
    <message>
        <source>nothing to do if %1 runs on this node; otherwise it may go</source>
        <translation>%1がこのノードで動作している場合は対処不要です。そうでなければ削除してかまいません</translation>
    </message>
    <message>
        <source>datasource %1 (%2) is referred to by no registry dbConfig and not by user-mgt.xml</source>
        <translation>データソース%1（%2）は、どのレジストリのdbConfigからも、user-mgt.xmlからも参照されていません</translation>
    </message>
    <message>
        <source>remove it, or refer to it where it is meant to be used</source>
        <translation>削除するか、使用するはずの場所から参照してください</translation>
    </message>
    <message>
        <source>the default sub-domain</source>
        <translation>既定のサブドメイン</translation>
    </message>
    <message>
        <source>sub-domain &quot;%1&quot;</source>
        <translation>サブドメイン「%1」</translation>
    </message>
    <message>
        <source>(the default sub-domain)</source>
        <translation>（既定のサブドメイン）</translation>
    </message>
    <message>
        <source>the load balancer serves no domain &quot;%1&quot;</source>
        <translation>ロードバランサーはドメイン「%1」を公開していません</translation>
    </message>
    <message>
        <source>add a block for %1 under domains { } in loadbalancer.conf, or correct the domain parameter</source>
        <translation>loadbalancer.confのdomains { }の下に%1のブロックを追加するか、domainパラメーターを修正してください</translation>
    </message>
    <message>
        <source>the load balancer serves %1 of domain &quot;%2&quot; to no one</source>
        <translation>ロードバランサーはドメイン「%2」の%1を公開していません</translation>
    </message>
    <message>
        <source>add the subDomain property with one of the sub-domains the load balancer serves for %1: %2</source>
        <translation>ロードバランサーが%1で公開しているサブドメインのいずれかを指定して、subDomainプロパティを追加してください: %2</translation>
    </message>
    <message>
        <source>set the subDomain property to one the load balancer serves for %1 (%2), or serve sub-domain %3 in loadbalancer.conf</source>
        <translation>subDomainプロパティを、ロードバランサーが%1で公開しているサブドメイン（%2）のいずれかに設定するか、loadbalancer.confでサブドメイン%3を公開するようにしてください</translation>
    </message>
    <message>
        <source>in service &quot;%1&quot;, tenant_range %2 of %3 overlaps tenant_range %4 of %5 (line %6)</source>
        <translation>サービス「%1」で、%3のtenant_range %2が%5のtenant_range %4（%6行目）と重複しています</translation>
    </message>
    <message>
        <source>give each domain of a service its own tenants, e.g. 1-100 and 101-200</source>
        <translation>サービスの各ドメインに別々のテナントを割り当ててください（例: 1-100と101-200）</translation>
    </message>
    <message>
        <source>WSDLEPRPrefix of transport %1 publishes port %2, but the load balancer %3 listens for %4 on %5</source>
        <translation>トランスポート%1のWSDLEPRPrefixはポート%2を公開していますが、ロードバランサー%3は%4を%5で待ち受けています</translation>
    </message>
    <message>
        <source>set WSDLEPRPrefix to %1</source>
        <translation>WSDLEPRPrefixを%1に設定してください</translation>
    </message>
    <message>
        <source>the %1 connector&apos;s proxyPort %2 is no port the load balancer %3 listens on (%4)</source>
        <translation>%1コネクターのproxyPort %2は、ロードバランサー%3が待ち受けているポート（%4）ではありません</translation>
    </message>
    <message>
        <source>set proxyPort=&quot;%1&quot; on the connector of port %2</source>
        <translation>ポート%2のコネクターにproxyPort=&quot;%1&quot;を設定してください</translation>
    </message>
    <message>
        <source>the load balancer serves this manager&apos;s console as %1 (%2 line %3), but carbon.xml has no MgtHostName, so the console&apos;s links lead to %4</source>
        <translation>ロードバランサーはこのマネージャーのコンソールを%1（%2の%3行目）として公開していますが、carbon.xmlにMgtHostNameがないため、コンソールのリンクは%4を指します</translation>
    </message>
    <message>
        <source>the node itself</source>
        <translation>ノード自身</translation>
    </message>
    <message>
        <source>add &lt;MgtHostName&gt;%1&lt;/MgtHostName&gt; after &lt;HostName&gt;</source>
        <translation>&lt;HostName&gt;の後に&lt;MgtHostName&gt;%1&lt;/MgtHostName&gt;を追加してください</translation>
    </message>
    <message>
        <source>the node has no axis2.xml, so it cannot join the cluster</source>
        <translation>ノードにaxis2.xmlがないため、クラスターに参加できません</translation>
    </message>
    <message>
        <source>copy axis2.xml from another node and set its clustering section</source>
        <translation>別のノードからaxis2.xmlをコピーし、そのclusteringセクションを設定してください</translation>
    </message>
    <message>
        <source>clustering is disabled, so this node will not join the cluster</source>
        <translation>クラスタリングが無効なため、このノードはクラスターに参加しません</translation>
    </message>
    <message>
        <source>axis2.xml has no &lt;clustering&gt; section</source>
        <translation>axis2.xmlに&lt;clustering&gt;セクションがありません</translation>
    </message>
    <message>
        <source>set enable=&quot;true&quot; on &lt;clustering&gt;</source>
        <translation>&lt;clustering&gt;にenable=&quot;true&quot;を設定してください</translation>
    </message>
    <message>
        <source>add a &lt;clustering&gt; section with membershipScheme wka</source>
        <translation>membershipScheme wkaを指定した&lt;clustering&gt;セクションを追加してください</translation>
    </message>
    <message>
        <source>localMemberHost</source>
        <translation>localMemberHost</translation>
    </message>
    <message>
        <source>well-known member</source>
        <translation>WKA メンバー</translation>
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
        <translation>サーバー</translation>
    </message>
    <message>
        <source>the hosts file %1</source>
        <translation>hostsファイル%1</translation>
    </message>
    <message>
        <source>the system resolver</source>
        <translation>システムのリゾルバー</translation>
    </message>
    <message>
        <source>%1 &quot;%2&quot; resolves nowhere: %3 does not name it</source>
        <translation>%1「%2」は名前解決できません: %3に該当する名前がありません</translation>
    </message>
    <message>
        <source> (written on %1 too)</source>
        <translation> (%1にも記載)</translation>
    </message>
    <message>
        <source>add &quot;ADDRESS %1&quot; to %2, with the address of the server it names</source>
        <translation>%2に&quot;ADDRESS %1&quot;を追加してください。ADDRESSにはその名前が指すサーバーのアドレスを指定します</translation>
    </message>
    <message>
        <source>add &quot;ADDRESS %1&quot; to the cluster&apos;s hosts file (or to the servers&apos; DNS), with the address of the server it names</source>
        <translation>クラスターのhostsファイル（またはサーバーのDNS）に&quot;ADDRESS %1&quot;を追加してください。ADDRESSにはその名前が指すサーバーのアドレスを指定します</translation>
    </message>
    <message>
        <source>the node names no localMemberHost and no servers file places it, so nothing tells which server it is on; port clashes with its neighbours go unseen</source>
        <translation>ノードにlocalMemberHostがなく、serversファイルでも配置されていないため、どのサーバー上にあるかを判断できません。同じサーバー上のノードとのポートの競合は検出されません</translation>
    </message>
    <message>
        <source>add &quot;ADDRESS %1&quot; to the cluster&apos;s servers file, or set localMemberHost</source>
        <translation>クラスターのserversファイルに&quot;ADDRESS %1&quot;を追加するか、localMemberHostを設定してください</translation>
    </message>
    <message>
        <source>localMemberHost %1 is this server&apos;s loopback address, but the cluster spans %2 servers: members on the others would reach themselves, not this node</source>
        <translation>localMemberHost %1はこのサーバーのループバックアドレスですが、クラスターは%2台のサーバーにまたがっています: 他のサーバー上のメンバーは、このノードではなく自分自身に接続してしまいます</translation>
    </message>
    <message>
        <source>set localMemberHost to %1, this node&apos;s server in the servers file</source>
        <translation>localMemberHostを、serversファイルにあるこのノードのサーバー%1に設定してください</translation>
    </message>
    <message>
        <source>localMemberHost %1 is server %2, but the servers file (line %3) places the node on %4</source>
        <translation>localMemberHost %1はサーバー%2ですが、serversファイル（%3行目）ではノードは%4に配置されています</translation>
    </message>
    <message>
        <source>set localMemberHost to %1, or correct the servers file</source>
        <translation>localMemberHostを%1に設定するか、serversファイルを修正してください</translation>
    </message>
    <message>
        <source>membership port</source>
        <translation>メンバーシップポート</translation>
    </message>
    <message>
        <source>group_mgt_port of %1</source>
        <translation>%1のgroup_mgt_port</translation>
    </message>
    <message>
        <source>well-known member %1:%2 is no node of this cluster; it is near %3&apos;s %4 %5</source>
        <translation>WKA メンバー %1:%2はこのクラスターのノードではありません。%3の%4 %5に近い値です</translation>
    </message>
    <message>
        <source>set &lt;port&gt; to %1 if %2&apos;s %3 was meant</source>
        <translation>%2の%3を意図していた場合は、&lt;port&gt;を%1に設定してください</translation>
    </message>
    <message>
        <source>well-known member %1:%2 (server %3) is no node of this cluster</source>
        <translation>WKA メンバー %1:%2（サーバー%3）はこのクラスターのノードではありません</translation>
    </message>
    <message>
        <source>list the localMemberHost and localMemberPort of a node of %1 (e.g. %2 at %3:%4) or of the load balancer, or remove the entry</source>
        <translation>%1のノード（例: %3:%4の%2）またはロードバランサーのlocalMemberHostとlocalMemberPortを記載するか、このエントリを削除してください</translation>
    </message>
    <message>
        <source>list the localMemberHost and localMemberPort of the load balancer or a manager node, or remove the entry</source>
        <translation>ロードバランサーまたはマネージャーノードのlocalMemberHostとlocalMemberPortを記載するか、このエントリを削除してください</translation>
    </message>
    <message>
        <source>this node clusters with %1 (%2), the load balancer %3 with %4 (%5): they cannot form one cluster</source>
        <translation>このノードは%1（%2）でクラスタリングしていますが、ロードバランサー%3は%4（%5）です: 1つのクラスターを構成できません</translation>
    </message>
    <message>
        <source>set class=&quot;%1&quot; on &lt;clustering&gt;, as the load balancer has it</source>
        <translation>ロードバランサーと同じく、&lt;clustering&gt;にclass=&quot;%1&quot;を設定してください</translation>
    </message>
    <message>
        <source>this node clusters with %1, node %2 of the same domain with %3: they cannot form one cluster</source>
        <translation>このノードは%1でクラスタリングしていますが、同じドメインのノード%2は%3です: 1つのクラスターを構成できません</translation>
    </message>
    <message>
        <source>set class=&quot;%1&quot; on &lt;clustering&gt;</source>
        <translation>&lt;clustering&gt;にclass=&quot;%1&quot;を設定してください</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 %2 (its %3)</source>
        <translation>%1 %2（相手側では%3）</translation>
    </message>
    <message>
        <source>set &lt;Ports&gt;&lt;Offset&gt; to %1 in carbon.xml, the nearest offset free on server %2</source>
        <translation>carbon.xmlの&lt;Ports&gt;&lt;Offset&gt;を、サーバー%2で空いている最も近いオフセットの%1に設定してください</translation>
    </message>
    <message>
        <source>set localMemberPort to %1 in axis2.xml, a port free on server %2</source>
        <translation>axis2.xmlのlocalMemberPortを、サーバー%2で空いているポートの%1に設定してください</translation>
    </message>
    <message>
        <source>move the node to another server</source>
        <translation>ノードを別のサーバーに移動してください</translation>
    </message>
    <message>
        <source>; and </source>
        <translation>。また </translation>
    </message>
    <message>
        <source>on server %1, node %2 listens on the same ports: %3</source>
        <translation>サーバー%1で、ノード%2が同じポートで待ち受けています: %3</translation>
    </message>
    <message>
        <source>keep group_mgt_port %1 as it is; on %2, %3</source>
        <translation>group_mgt_port %1はそのままにし、%2側で次の対処をしてください: %3</translation>
    </message>
    <message>
        <source>keep this node as it is; on %1, %2</source>
        <translation>このノードはそのままにし、%1側で次の対処をしてください: %2</translation>
    </message>
    <message>
        <source>port.mapping.%1 sends traffic to port %2, which this node (offset %3) does not listen on</source>
        <translation>port.mapping.%1はトラフィックをポート%2に送りますが、このノード（オフセット%3）はそのポートで待ち受けていません</translation>
    </message>
    <message>
        <source>set port.mapping.%1 to %2, the node&apos;s %3 port after its offset</source>
        <translation>port.mapping.%1を、オフセット適用後のノードの%3ポートである%2に設定してください</translation>
    </message>
    <message>
        <source>worker mounts the shared registry &quot;%1&quot; read-write; only the manager may write it</source>
        <translation>ワーカーが共有レジストリ「%1」を読み書き可能でマウントしています。書き込めるのはマネージャーだけです</translation>
    </message>
    <message>
        <source>set &lt;readOnly&gt;true&lt;/readOnly&gt; in &lt;remoteInstance&gt; %1</source>
        <translation>&lt;remoteInstance&gt; %1に&lt;readOnly&gt;true&lt;/readOnly&gt;を設定してください</translation>
    </message>
    <message>
        <source>manager mounts the shared registry &quot;%1&quot; read-only, so deployments cannot be stored</source>
        <translation>マネージャーが共有レジストリ「%1」を読み取り専用でマウントしているため、デプロイメントを保存できません</translation>
    </message>
    <message>
        <source>set &lt;readOnly&gt;false&lt;/readOnly&gt; in &lt;remoteInstance&gt; %1</source>
        <translation>&lt;remoteInstance&gt; %1に&lt;readOnly&gt;false&lt;/readOnly&gt;を設定してください</translation>
    </message>
    <message>
        <source>no mount for %1, so this node keeps it in its local registry</source>
        <translation>%1のマウントがないため、このノードはそれをローカルレジストリに保持しています</translation>
    </message>
    <message>
        <source>add &lt;mount path=&quot;%1&quot; overwrite=&quot;true&quot;&gt; pointing at the shared remote instance</source>
        <translation>共有リモートインスタンスを指す&lt;mount path=&quot;%1&quot; overwrite=&quot;true&quot;&gt;を追加してください</translation>
    </message>
    <message>
        <source>mount %1 names remote instance &quot;%2&quot;, which is not defined</source>
        <translation>マウント%1は、定義されていないリモートインスタンス「%2」を指定しています</translation>
    </message>
    <message>
        <source>define a &lt;remoteInstance&gt; with &lt;id&gt;%1&lt;/id&gt; or correct &lt;instanceId&gt;</source>
        <translation>&lt;id&gt;%1&lt;/id&gt;を持つ&lt;remoteInstance&gt;を定義するか、&lt;instanceId&gt;を修正してください</translation>
    </message>
    <message>
        <source>remote instance &quot;%1&quot; uses dbConfig &quot;%2&quot;, which is not defined</source>
        <translation>リモートインスタンス「%1」は、定義されていないdbConfig「%2」を使用しています</translation>
    </message>
    <message>
        <source>add &lt;dbConfig name=&quot;%1&quot;&gt; or correct &lt;dbConfig&gt;</source>
        <translation>&lt;dbConfig name=&quot;%1&quot;&gt;を追加するか、&lt;dbConfig&gt;を修正してください</translation>
    </message>
    <message>
        <source>mount %1 reaches database %2, but the other members of %3 share %4</source>
        <translation>マウント%1はデータベース%2に接続していますが、%3の他のメンバーは%4を共有しています</translation>
    </message>
    <message>
        <source>point the remote instance&apos;s dbConfig at the datasource for %1</source>
        <translation>リモートインスタンスのdbConfigを、%1用のデータソースに向けてください</translation>
    </message>
    <message>
        <source>the local registry database %1 is also node %2&apos;s local registry; local registries must not be shared</source>
        <translation>ローカルレジストリのデータベース%1は、ノード%2のローカルレジストリでもあります。ローカルレジストリは共有できません</translation>
    </message>
    <message>
        <source>create a database of its own for this node (e.g. %1) and point the datasource of currentDBConfig at it</source>
        <translation>このノード専用のデータベース（例: %1）を作成し、currentDBConfigのデータソースをそこに向けてください</translation>
    </message>
    <message>
        <source>cacheId &quot;%1&quot; is also used by node %2 for another database (%3 here, %4 there)</source>
        <translation>cacheId「%1」は、ノード%2でも別のデータベースに使用されています（こちらは%3、あちらは%4）</translation>
    </message>
    <message>
        <source>make cacheId name this instance&apos;s database, as user@jdbc-url: %1</source>
        <translation>cacheIdで、このインスタンスのデータベースをuser@jdbc-urlの形式で指定してください: %1</translation>
    </message>
    <message>
        <source>cacheId &quot;%1&quot; of remote instance %2 does not name the database it mounts, %3 as user %4 (datasource %5)</source>
        <translation>リモートインスタンス%2のcacheId「%1」は、マウントしているデータベース（ユーザー%4での%3、データソース%5）を指していません</translation>
    </message>
    <message>
        <source>set &lt;cacheId&gt; to %1, user@jdbc-url of that datasource</source>
        <translation>&lt;cacheId&gt;を、そのデータソースのuser@jdbc-urlである%1に設定してください</translation>
    </message>
    <message>
        <source>cacheId &quot;%1&quot; names database %2, which node %3 caches as &quot;%4&quot;: the two keep separate caches of one registry</source>
        <translation>cacheId「%1」はデータベース%2を指していますが、ノード%3はそれを「%4」としてキャッシュしています: 1つのレジストリに対して別々のキャッシュを保持することになります</translation>
    </message>
    <message>
        <source>set &lt;cacheId&gt; to %1, as the other nodes of that database have it</source>
        <translation>そのデータベースを使う他のノードと同じく、&lt;cacheId&gt;を%1に設定してください</translation>
    </message>
    <message>
        <source>the node has no registry.xml, so it shares no registry with the cluster</source>
        <translation>ノードにregistry.xmlがないため、クラスターとレジストリを共有していません</translation>
    </message>
    <message>
        <source>copy registry.xml from another member of %1</source>
        <translation>%1の別のメンバーからregistry.xmlをコピーしてください</translation>
    </message>
    <message>
        <source>error</source>
        <translation>エラー</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>note</source>
        <translation>注記</translation>
    </message>
    <message>
        <source>1 error</source>
        <translation>エラー1件</translation>
    </message>
    <message>
        <source>%1 errors</source>
        <translation>エラー%1件</translation>
    </message>
    <message>
        <source>1 warning</source>
        <translation>警告1件</translation>
    </message>
    <message>
        <source>%1 warnings</source>
        <translation>警告%1件</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1、%2</translation>
    </message>
</context>
<context>
    <name>tribune</name>
    <message>
        <source>Console for application-server clusters.</source>
        <translation>アプリケーションサーバークラスター用のコンソール。</translation>
    </message>
    <message>
        <source>A cluster folder, node folders or a loadbalancer.conf to open; or *.tribune-snapshot files, each opened alone, offline.</source>
        <translation>開くクラスターフォルダー、ノードフォルダー、またはloadbalancer.conf。または*.tribune-snapshotファイル（それぞれ単独で、オフラインで開きます）。</translation>
    </message>
    <message>
        <source>A well-known member&apos;s membership port (repeatable).</source>
        <translation>WKA メンバーのメンバーシップポート（複数指定可）。</translation>
    </message>
    <message>
        <source>The load balancer&apos;s admin socket; alone, without --seed, the console watches HAProxy by itself.</source>
        <translation>ロードバランサーの管理ソケット。--seedなしで単独で指定すると、コンソールはHAProxyだけを監視します。</translation>
    </message>
    <message>
        <source>The cluster key file (mode 0600).</source>
        <translation>クラスター鍵ファイル（モード0600）。</translation>
    </message>
    <message>
        <source>console or viewer (default: the strongest key in the file).</source>
        <translation>consoleまたはviewer（既定: ファイル内で最も強い鍵）。</translation>
    </message>
    <message>
        <source>Use TLS, trusting this certificate authority.</source>
        <translation>TLSを使用し、この認証局を信頼します。</translation>
    </message>
    <message>
        <source>Save a picture of the window to FILE after a few seconds, then quit.</source>
        <translation>数秒後にウィンドウの画像をFILEに保存して終了します。</translation>
    </message>
    <message>
        <source>Where to keep history: sqlite:///path/history.sqlite or mysql://user:password@host:port/database; default: a SQLite file in the data folder.</source>
        <translation>履歴の保存先: sqlite:///path/history.sqliteまたはmysql://user:password@host:port/database。既定: データフォルダー内のSQLiteファイル。</translation>
    </message>
    <message>
        <source>Keep no history.</source>
        <translation>履歴を保存しません。</translation>
    </message>
    <message>
        <source>Resolve the cluster&apos;s host names with this file (/etc/hosts format) alone.</source>
        <translation>クラスターのホスト名を、このファイル（/etc/hosts形式）だけを使って名前解決します。</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>クラスター</translation>
    </message>
    <message>
        <source>Cannot Connect</source>
        <translation>接続できません</translation>
    </message>
    <message>
        <source>Cannot Keep the Password</source>
        <translation>パスワードを保存できません</translation>
    </message>
    <message>
        <source>The preferences are saved, but the history database&apos;s password could not be kept, so the next start will not have it: %1</source>
        <translation>環境設定は保存されましたが、履歴データベースのパスワードを保存できなかったため、次回の起動時にはパスワードがありません: %1</translation>
    </message>
</context>
<context>
    <name>tribune_agent</name>
    <message>
        <source>Membership, health and configuration service of one cluster node.</source>
        <translation>クラスターノード1台のメンバーシップ、ヘルス、構成のサービス。</translation>
    </message>
    <message>
        <source>The node&apos;s CARBON_HOME (or its repository/conf).</source>
        <translation>ノードのCARBON_HOME（またはそのrepository/conf）。</translation>
    </message>
    <message>
        <source>The cluster key file (mode 0600).</source>
        <translation>クラスター鍵ファイル（モード0600）。</translation>
    </message>
    <message>
        <source>Membership port, when the product itself uses localMemberPort.</source>
        <translation>メンバーシップポート（製品自体がlocalMemberPortを使用する場合）。</translation>
    </message>
    <message>
        <source>Answer HTTP on the node&apos;s HTTP port (9763 plus offset).</source>
        <translation>ノードのHTTPポート（9763+オフセット）でHTTPに応答します。</translation>
    </message>
    <message>
        <source>&quot;lb&quot; for the load balancer&apos;s agent.</source>
        <translation>ロードバランサーのエージェントには&quot;lb&quot;。</translation>
    </message>
    <message>
        <source>TLS certificate (PEM).</source>
        <translation>TLS証明書（PEM）。</translation>
    </message>
    <message>
        <source>TLS private key (PEM).</source>
        <translation>TLS秘密鍵（PEM）。</translation>
    </message>
    <message>
        <source>TLS certificate authority (PEM).</source>
        <translation>TLS認証局（PEM）。</translation>
    </message>
    <message>
        <source>loadbalancer.conf (default: the node&apos;s own).</source>
        <translation>loadbalancer.conf（既定: ノード自身のもの）。</translation>
    </message>
    <message>
        <source>Attach to a running HAProxy&apos;s admin socket instead of starting one.</source>
        <translation>HAProxyを起動する代わりに、実行中のHAProxyの管理ソケットに接続します。</translation>
    </message>
    <message>
        <source>The haproxy program (default: haproxy).</source>
        <translation>haproxyプログラム（既定: haproxy）。</translation>
    </message>
    <message>
        <source>Where HAProxy&apos;s configuration and socket go (default: CARBON_HOME/.tribune/haproxy).</source>
        <translation>HAProxyの構成とソケットの配置先（既定: CARBON_HOME/.tribune/haproxy）。</translation>
    </message>
    <message>
        <source>Resolve the node&apos;s host names with this file (/etc/hosts format) alone.</source>
        <translation>ノードのホスト名を、このファイル（/etc/hosts形式）だけを使って名前解決します。</translation>
    </message>
    <message>
        <source>The node&apos;s name for people (default: its CARBON_HOME folder&apos;s name).</source>
        <translation>表示用のノード名（既定: CARBON_HOMEフォルダーの名前）。</translation>
    </message>
    <message>
        <source>The cluster&apos;s servers file: which server this node is on when its files name no localMemberHost.</source>
        <translation>クラスターのserversファイル: ノードのファイルにlocalMemberHostがない場合に、このノードがどのサーバー上にあるかを示します。</translation>
    </message>
    <message>
        <source>Address HAProxy listens on (default: *).</source>
        <translation>HAProxyが待ち受けるアドレス（既定: *）。</translation>
    </message>
    <message>
        <source>HAProxy&apos;s HTTP port (default: the ELB&apos;s http transport in axis2.xml, else 8280).</source>
        <translation>HAProxyのHTTPポート（既定: axis2.xmlにあるELBのhttpトランスポート、なければ8280）。</translation>
    </message>
    <message>
        <source>HAProxy&apos;s HTTPS port (default: the ELB&apos;s https transport in axis2.xml, else 8243).</source>
        <translation>HAProxyのHTTPSポート（既定: axis2.xmlにあるELBのhttpsトランスポート、なければ8243）。</translation>
    </message>
    <message>
        <source>PEM for HAProxy&apos;s HTTPS listener.</source>
        <translation>HAProxyのHTTPSリスナー用のPEM。</translation>
    </message>
    <message>
        <source>Also open HAProxy&apos;s admin socket on this loopback HOST:PORT.</source>
        <translation>HAProxyの管理ソケットを、このループバックのHOST:PORTでも開きます。</translation>
    </message>
    <message>
        <source>Tenant domain to tenant id map for tenant-aware routing.</source>
        <translation>テナント対応ルーティング用の、テナントドメインからテナントIDへのマップ。</translation>
    </message>
    <message>
        <source>A bare node: wait on --listen for the node&apos;s first configuration, pushed by a console, then become that node.</source>
        <translation>未構成のノード: --listenで、コンソールからプッシュされるノードの最初の構成を待ち、そのノードになります。</translation>
    </message>
    <message>
        <source>With --provision: where to wait.</source>
        <translation>--provisionと併用: 待機する場所。</translation>
    </message>
    <message>
        <source>With --role lb: stop the HAProxy of the runtime folder (it outlives its agent on purpose) and exit.</source>
        <translation>--role lbと併用: ランタイムフォルダーのHAProxy（意図的にエージェントより長く動作します）を停止して終了します。</translation>
    </message>
    <message>
        <source>tribune-agent: --stop-haproxy needs --role lb and --runtime-dir DIR (or --carbon-home DIR); see --help</source>
        <translation>tribune-agent: --stop-haproxyには--role lbと--runtime-dir DIR（または--carbon-home DIR）が必要です。--helpを参照してください</translation>
    </message>
    <message>
        <source>tribune-agent: --carbon-home and --key-file are required; see --help</source>
        <translation>tribune-agent: --carbon-homeと--key-fileは必須です。--helpを参照してください</translation>
    </message>
    <message>
        <source>tribune-agent: --provision needs --listen HOST:PORT; see --help</source>
        <translation>tribune-agent: --provisionには--listen HOST:PORTが必要です。--helpを参照してください</translation>
    </message>
    <message>
        <source>tribune-agent: --port needs a port number, not &quot;%1&quot;</source>
        <translation>tribune-agent: --portにはポート番号を指定してください（「%1」ではなく）</translation>
    </message>
    <message>
        <source>tribune-agent: driving HAProxy through %1</source>
        <translation>tribune-agent: %1経由でHAProxyを制御しています</translation>
    </message>
    <message>
        <source>tribune-agent: member %1 of %2%3 listening on %4%5</source>
        <translation>tribune-agent: %2%3のメンバー%1、%4で待ち受け中%5</translation>
    </message>
    <message>
        <source>, HTTP on %1</source>
        <translation>、HTTPは%1</translation>
    </message>
    <message>
        <source>tribune-agent: %1 has a configuration already; starting as that node</source>
        <translation>tribune-agent: %1は既に構成済みです。そのノードとして起動します</translation>
    </message>
    <message>
        <source>tribune-agent: the node&apos;s files are written to %1, but it could not start from them; fix what is said above and start tribune-agent without --provision</source>
        <translation>tribune-agent: ノードのファイルは%1に書き込まれましたが、そこから起動できませんでした。上記の問題を修正し、--provisionなしでtribune-agentを起動してください</translation>
    </message>
    <message>
        <source>tribune-agent: waiting on %1:%2 for this node&apos;s first configuration</source>
        <translation>tribune-agent: %1:%2でこのノードの最初の構成を待っています</translation>
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
        <translation>使い方: tribunectl COMMAND [OPTIONS]

コマンド:
  validate [--json] PATH...   クラスターの構成ファイルを検証
  node plan --like NODE --host HOST [PATH...]   既存のノードと同様の新しいノードのプランを作成
  db check --node-dir DIR [--create --admin-user USER]   ノードのデータベースを検査
  watch --seed HOST:PORT      メンバーシップビューを出力し、以降の変更もすべて出力
  members --seed HOST:PORT    メンバーシップビューを 1 回出力
  health --node HOST:PORT     ノードのヘルスを出力
  config ACTION --node HOST:PORT  ノードのファイルの取得、プッシュ、バックアップ一覧、ロールバック
  config diff DIR_A DIR_B | --node HOST:PORT --from DIR   ノードのファイルを比較
  config set --seed S --key-file K --node NODE FILE:KEY=VALUE...   型付き編集（検証付き）
  keygen FILE                 新しいクラスター鍵ファイルの書き出し
  render-haproxy LBCONF [-o CFG]  loadbalancer.conf を HAProxy の構成としてレンダリング
  service install CARBON_HOME [--lb]  ノードのエージェントを systemd で実行
  traffic --target HOST:PORT --host NAME  一定のペースでリクエストを送信
  lb status|drain|ready|maint|weight --socket PATH  ロードバランサーのサーバー
  history check|events|samples [--history URL]  コンソールの履歴の読み取り
  snapshot export -o FILE | show FILE [--json] | diff A B | report --csv DIR FILE   スナップショット

各コマンドのオプションは &apos;tribunectl COMMAND --help&apos; で確認できます。
</translation>
    </message>
    <message>
        <source>tribunectl: unknown command &quot;%1&quot;

</source>
        <translation>tribunectl: 不明なコマンド「%1」

</translation>
    </message>
</context>
</TS>
