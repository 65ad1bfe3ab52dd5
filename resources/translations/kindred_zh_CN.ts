<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AccountActions</name>
    <message>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>当前密码</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <source>Your data</source>
        <translation>你的数据</translation>
    </message>
    <message>
        <source>Export my data…</source>
        <translation>导出我的数据…</translation>
    </message>
    <message>
        <source>Save everything the server keeps about your account as a JSON file</source>
        <translation>将服务器保存的关于你账号的全部数据存为 JSON 文件</translation>
    </message>
    <message>
        <source>Delete account…</source>
        <translation>删除账号…</translation>
    </message>
    <message>
        <source>Deleting your account cannot be undone. Your comments that have replies stay, shown as “[deleted user]”; your other comments, your likes, mutes and notifications go. Enter your password to go on.</source>
        <translation>删除账号后无法恢复。你有回复的评论会保留，显示为“[deleted user]”；你的其他评论、点赞、屏蔽和通知都会删除。输入密码以继续。</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Password to delete the account</source>
        <translation>删除账号所需的密码</translation>
    </message>
    <message>
        <source>Delete my account</source>
        <translation>删除我的账号</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Really delete your account? This is the last question.</source>
        <translation>真的要删除你的账号吗？这是最后一次确认。</translation>
    </message>
    <message>
        <source>Yes, delete it for good</source>
        <translation>是的，永久删除</translation>
    </message>
    <message>
        <source>Enter your current password and a new one.</source>
        <translation>请输入当前密码和新密码。</translation>
    </message>
    <message>
        <source>The new passwords do not match.</source>
        <translation>两次输入的新密码不一致。</translation>
    </message>
    <message>
        <source>Changing the password…</source>
        <translation>正在修改密码…</translation>
    </message>
    <message>
        <source>The password was not changed: {error}</source>
        <translation>密码未修改：{error}</translation>
    </message>
    <message>
        <source>Password changed. Your other devices are signed out.</source>
        <translation>密码已修改。你的其他设备已退出登录。</translation>
    </message>
    <message>
        <source>Export my data</source>
        <translation>导出我的数据</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <source>Your data could not be exported: {error}</source>
        <translation>无法导出你的数据：{error}</translation>
    </message>
    <message>
        <source>Your data was saved to {path}.</source>
        <translation>你的数据已保存到 {path}。</translation>
    </message>
    <message>
        <source>Enter your password to delete the account.</source>
        <translation>请输入密码以删除账号。</translation>
    </message>
    <message>
        <source>Deleting the account…</source>
        <translation>正在删除账号…</translation>
    </message>
    <message>
        <source>The account was not deleted: {error}</source>
        <translation>账号未删除：{error}</translation>
    </message>
    <message>
        <source>Your account was deleted.</source>
        <translation>你的账号已删除。</translation>
    </message>
</context>
<context>
    <name>AccountBox</name>
    <message>
        <source>Sign in to like, reply and post.</source>
        <translation>登录后即可点赞、回复和发表评论。</translation>
    </message>
    <message>
        <source>Username</source>
        <translation>用户名</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Register</source>
        <translation>注册</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>you</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Signed in as {name}</source>
        <translation>已登录：{name}</translation>
    </message>
    <message>
        <source>Enter a username and a password.</source>
        <translation>请输入用户名和密码。</translation>
    </message>
</context>
<context>
    <name>AccountsPage</name>
    <message>
        <source>Accounts</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>User token (from your ListenBrainz settings)</source>
        <translation>用户令牌（在 ListenBrainz 设置中获取）</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <source>Sign in with the browser</source>
        <translation>在浏览器中登录</translation>
    </message>
    <message>
        <source>I have allowed Kindred</source>
        <translation>我已授权 Kindred</translation>
    </message>
    <message>
        <source>Sending</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Scrobble internet radio</source>
        <translation>记录网络电台的收听</translation>
    </message>
    <message>
        <source>Each title a station announces counts once it played for 30 seconds.</source>
        <translation>电台播报的每首曲目播放满 30 秒后计入收听记录。</translation>
    </message>
    <message>
        <source>Send now</source>
        <translation>立即发送</translation>
    </message>
    <message>
        <source>Waiting listens</source>
        <translation>待发送的收听记录</translation>
    </message>
    <message>
        <source>Listens are kept until the service has them, also offline.</source>
        <translation>收听记录会一直保存到服务收到为止，离线时也不会丢失。</translation>
    </message>
    <message>
        <source>Signed in as {user}, but the sign-in expired: sign in again.</source>
        <translation>已以 {user} 登录，但登录已过期：请重新登录。</translation>
    </message>
    <message>
        <source>Signed in as {user}.</source>
        <translation>已以 {user} 登录。</translation>
    </message>
    <message>
        <source>Not signed in.</source>
        <translation>未登录。</translation>
    </message>
    <message>
        <source>{pending} waiting to be sent, {sent} sent, {dropped} dropped.</source>
        <translation>{pending} 条待发送，{sent} 条已发送，{dropped} 条已丢弃。</translation>
    </message>
    <message>
        <source>Last error: {error}</source>
        <translation>上次错误：{error}</translation>
    </message>
    <message>
        <source>Paste your ListenBrainz user token first.</source>
        <translation>请先粘贴你的 ListenBrainz 用户令牌。</translation>
    </message>
    <message>
        <source>Allow Kindred on Last.fm (&lt;a href=&quot;{url}&quot;&gt;open the page&lt;/a&gt;), then click &quot;I have allowed Kindred&quot;.</source>
        <translation>请在 Last.fm 上授权 Kindred（&lt;a href=&quot;{url}&quot;&gt;打开页面&lt;/a&gt;），然后点击“我已授权 Kindred”。</translation>
    </message>
</context>
<context>
    <name>AddStationDialog</name>
    <message>
        <source>Add a radio station</source>
        <translation>添加电台</translation>
    </message>
    <message>
        <source>Optional: taken from the address or the file</source>
        <translation>可不填：取自地址或文件</translation>
    </message>
    <message>
        <source>Station name</source>
        <translation>电台名称</translation>
    </message>
    <message>
        <source>http://… or a .m3u / .pls / .xspf file</source>
        <translation>http://… 或 .m3u / .pls / .xspf 文件</translation>
    </message>
    <message>
        <source>Stream address or playlist file</source>
        <translation>流地址或播放列表文件</translation>
    </message>
    <message>
        <source>Choose file…</source>
        <translation>选择文件…</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Choose a station playlist</source>
        <translation>选择电台播放列表</translation>
    </message>
    <message>
        <source>Playlists (*.m3u *.m3u8 *.pls *.xspf)</source>
        <translation>播放列表 (*.m3u *.m3u8 *.pls *.xspf)</translation>
    </message>
    <message>
        <source>Give the station&apos;s address, or choose a playlist file.</source>
        <translation>请填写电台地址，或选择一个播放列表文件。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>Could not check the station</source>
        <translation>无法检查该电台</translation>
    </message>
</context>
<context>
    <name>AlbumModel</name>
    <message>
        <source>Various artists</source>
        <extracomment>the narrowest a grid cell gets; cells widen to share out a row&apos;s spare width below the cover: title, artist and year, and a line for what tells same-named albums apart where the compact choice is remembered (the window&apos;s saved state)</extracomment>
        <translation>群星</translation>
    </message>
    <message numerus="yes">
        <source>%Ln discs</source>
        <translation>
            <numerusform>%Ln 张碟</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tracks</source>
        <translation>
            <numerusform>%Ln 首曲目</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AlbumsPage</name>
    <message>
        <source>Albums</source>
        <translation>专辑</translation>
    </message>
    <message>
        <source>List</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>Show the albums as a compact list</source>
        <translation>以紧凑列表显示专辑</translation>
    </message>
    <message>
        <source>Compact list</source>
        <translation>紧凑列表</translation>
    </message>
    <message>
        <source>Back to albums</source>
        <translation>返回专辑</translation>
    </message>
    <message>
        <source>Album cover</source>
        <translation>专辑封面</translation>
    </message>
    <message>
        <source>ALBUM</source>
        <translation>专辑</translation>
    </message>
    <message numerus="yes">
        <source>%Ln albums</source>
        <translation>
            <numerusform>%Ln 张专辑</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tracks</source>
        <translation>
            <numerusform>%Ln 首歌曲</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AnalysisStatus</name>
    <message>
        <source>Analysing the sound of your music…</source>
        <translation>正在分析你的音乐的声音特征…</translation>
    </message>
    <message>
        <source>Analysing {done} of {total} tracks</source>
        <translation>正在分析第 {done} / {total} 首歌曲</translation>
    </message>
    <message>
        <source>Analysis failed</source>
        <translation>分析失败</translation>
    </message>
    <message>
        <source>Analysis stopped: it resumes after the next scan</source>
        <translation>分析已停止：下次扫描后将继续</translation>
    </message>
    <message numerus="yes">
        <source>Analysed %Ln tracks</source>
        <translation>
            <numerusform>已分析 %Ln 首歌曲</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %Ln could not be read</source>
        <translation>
            <numerusform> · %Ln 首无法读取</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AppearancePage</name>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>Look</source>
        <translation>界面</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Follow the system switches with the desktop&apos;s light or dark mode.</source>
        <translation>“跟随系统”会随桌面的浅色或深色模式切换。</translation>
    </message>
    <message>
        <source>Track lists</source>
        <translation>曲目列表</translation>
    </message>
    <message>
        <source>Compact rows</source>
        <translation>紧凑行</translation>
    </message>
    <message>
        <source>Lower rows show more tracks at once.</source>
        <translation>行高更小，一屏显示更多曲目。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Restart Kindred now</source>
        <translation>立即重启 Kindred</translation>
    </message>
    <message>
        <source>Kindred closes and opens again in the new language, where you left it</source>
        <translation>Kindred 会关闭并以新语言重新打开，回到你离开时的位置</translation>
    </message>
    <message>
        <source>Takes effect the next time Kindred starts.</source>
        <translation>下次启动 Kindred 时生效。</translation>
    </message>
</context>
<context>
    <name>ArtistsPage</name>
    <message>
        <source>Artists</source>
        <translation>艺术家</translation>
    </message>
    <message>
        <source>Which artists</source>
        <translation>哪类艺术家</translation>
    </message>
    <message>
        <source>Track artists</source>
        <extracomment>where the chosen role is remembered (the window&apos;s saved state)</extracomment>
        <translation>曲目艺术家</translation>
    </message>
    <message>
        <source>Album artists</source>
        <translation>专辑艺术家</translation>
    </message>
    <message>
        <source>Composers</source>
        <translation>作曲家</translation>
    </message>
    <message>
        <source>Artists under %1</source>
        <translation>%1 开头的艺术家</translation>
    </message>
    <message>
        <source>Unknown artist</source>
        <translation>未知艺术家</translation>
    </message>
    <message numerus="yes">
        <source>%Ln artists</source>
        <translation>
            <numerusform>%Ln 位艺术家</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AudioBadge</name>
    <message>
        <source>Radio</source>
        <translation>电台</translation>
    </message>
    <message>
        <source>RG off</source>
        <translation>音量均衡 关</translation>
    </message>
    <message>
        <source>RG — no tags</source>
        <translation>音量均衡 — 无标签</translation>
    </message>
    <message>
        <source>RG album {gain} dB</source>
        <translation>音量均衡 专辑 {gain} dB</translation>
    </message>
    <message>
        <source>RG track {gain} dB</source>
        <translation>音量均衡 单曲 {gain} dB</translation>
    </message>
    <message>
        <source>RG auto {gain} dB</source>
        <translation>音量均衡 自动 {gain} dB</translation>
    </message>
</context>
<context>
    <name>Bell</name>
    <message numerus="yes">
        <source>Notifications: %n unread</source>
        <translation>
            <numerusform>通知：%n 条未读</numerusform>
        </translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
</context>
<context>
    <name>CategoryPage</name>
    <message>
        <source>Unknown artist</source>
        <translation>未知艺人</translation>
    </message>
    <message numerus="yes">
        <source>%Ln artists</source>
        <translation>
            <numerusform>%Ln 位艺人</numerusform>
        </translation>
    </message>
    <message>
        <source>No genre</source>
        <translation>无流派</translation>
    </message>
    <message numerus="yes">
        <source>%Ln genres</source>
        <translation>
            <numerusform>%Ln 种流派</numerusform>
        </translation>
    </message>
    <message>
        <source>(no folder)</source>
        <translation>（无文件夹）</translation>
    </message>
    <message numerus="yes">
        <source>%Ln folders</source>
        <translation>
            <numerusform>%Ln 个文件夹</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Columns</name>
    <message>
        <source>Title</source>
        <extracomment>how many of COLUMNS a layout saved before the window kept their keys had The titles above, marked for translation: views show ``QCoreApplication.translate(&quot;Columns&quot;, column.title)`` (a new column adds its title here).</extracomment>
        <translation>标题</translation>
    </message>
    <message>
        <source>Artist</source>
        <translation>艺人</translation>
    </message>
    <message>
        <source>Album</source>
        <translation>专辑</translation>
    </message>
    <message>
        <source>Year</source>
        <translation>年份</translation>
    </message>
    <message>
        <source>Genre</source>
        <translation>流派</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Sample rate</source>
        <translation>采样率</translation>
    </message>
    <message>
        <source>Bitrate</source>
        <translation>比特率</translation>
    </message>
    <message>
        <source>ReplayGain</source>
        <translation>音量均衡</translation>
    </message>
    <message>
        <source>Plays</source>
        <translation>播放次数</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>评分</translation>
    </message>
    <message>
        <source>Added</source>
        <translation>添加时间</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>路径</translation>
    </message>
    <message>
        <source>BPM</source>
        <translation>BPM</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>调性</translation>
    </message>
    <message>
        <source>Loudness</source>
        <translation>响度</translation>
    </message>
    <message>
        <source>Liked</source>
        <translation>喜欢</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>评论</translation>
    </message>
    <message>
        <source>Skips</source>
        <translation>跳过次数</translation>
    </message>
    <message>
        <source>Last played</source>
        <translation>上次播放</translation>
    </message>
</context>
<context>
    <name>CommentAlerts</name>
    <message>
        <source>Someone</source>
        <translation>有人</translation>
    </message>
    <message>
        <source>{name} replied to your comment</source>
        <translation>{name} 回复了你的评论</translation>
    </message>
    <message>
        <source>{name} mentioned you</source>
        <translation>{name} 提到了你</translation>
    </message>
    <message>
        <source>a song</source>
        <translation>一首歌</translation>
    </message>
    <message>
        <source>“{text}” on {song}</source>
        <translation>“{text}”——{song}</translation>
    </message>
    <message numerus="yes">
        <source>%n more replies and mentions</source>
        <translation>
            <numerusform>还有 %n 条回复和提及</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CommentCard</name>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待发送</translation>
    </message>
    <message>
        <source>[deleted]</source>
        <translation>[已删除]</translation>
    </message>
    <message>
        <source>you</source>
        <translation>我</translation>
    </message>
    <message>
        <source>Open {name}&apos;s profile</source>
        <translation>打开 {name} 的个人主页</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>已编辑</translation>
    </message>
    <message>
        <source>at {time}</source>
        <translation>于 {time}</translation>
    </message>
    <message>
        <source>Play from this moment</source>
        <translation>从这一刻开始播放</translation>
    </message>
    <message>
        <source>Waiting to be sent to the comment server</source>
        <translation>等待发送到评论服务器</translation>
    </message>
    <message>
        <source>Like</source>
        <translation>点赞</translation>
    </message>
    <message>
        <source>Replies</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Reply to this comment</source>
        <translation>回复这条评论</translation>
    </message>
    <message>
        <source>Write a reply…</source>
        <translation>写下你的回复…</translation>
    </message>
    <message>
        <source>More actions</source>
        <translation>更多操作</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Edit your comment</source>
        <translation>编辑你的评论</translation>
    </message>
    <message>
        <source>Report…</source>
        <translation>举报…</translation>
    </message>
    <message>
        <source>Why report this comment?</source>
        <translation>为什么举报这条评论？</translation>
    </message>
    <message>
        <source>dd MMM yyyy</source>
        <comment>date format</comment>
        <translation>yyyy年M月d日</translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n 分钟前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n 小时前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d ago</source>
        <translation>
            <numerusform>%n 天前</numerusform>
        </translation>
    </message>
    <message>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message>
        <source>1 reply</source>
        <translation>1 条回复</translation>
    </message>
    <message numerus="yes">
        <source>%Ln replies</source>
        <translation>
            <numerusform>%Ln 条回复</numerusform>
        </translation>
    </message>
    <message>
        <source>Unlike</source>
        <translation>取消点赞</translation>
    </message>
    <message>
        <source>Delete this comment? This cannot be undone.</source>
        <translation>删除这条评论？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Delete the comment</source>
        <translation>删除评论</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>{prompt}  (Enter to send, Esc to cancel)</source>
        <translation>{prompt}（回车发送，Esc 取消）</translation>
    </message>
</context>
<context>
    <name>CommentCount</name>
    <message>
        <source>Comments on this song</source>
        <extracomment>a position jump larger than this is a seek, not playback passing a moment</extracomment>
        <translation>这首歌的评论</translation>
    </message>
    <message numerus="yes">
        <source>%Ln comments</source>
        <translation>
            <numerusform>%Ln 条评论</numerusform>
        </translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>评论</translation>
    </message>
</context>
<context>
    <name>CommentsPanel</name>
    <message>
        <source>Sign in first: your words are kept until then.</source>
        <translation>请先登录：你写的内容会一直保留，直到登录后发送。</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>评论</translation>
    </message>
    <message>
        <source>HOT</source>
        <translation>热门评论</translation>
    </message>
    <message>
        <source>NEWEST</source>
        <translation>最新评论</translation>
    </message>
    <message>
        <source>No comments yet. Say something about this song!</source>
        <translation>还没有评论，来说点什么吧！</translation>
    </message>
    <message>
        <source>Comments live with the songs in your library.</source>
        <translation>每首歌都有自己的评论区：播放或选中一首歌即可查看。</translation>
    </message>
    <message>
        <source>Loading comments…</source>
        <translation>正在加载评论…</translation>
    </message>
    <message>
        <source>Comments could not be loaded: {error}</source>
        <translation>无法加载评论：{error}</translation>
    </message>
    <message>
        <source>the server cannot be reached</source>
        <translation>无法连接服务器</translation>
    </message>
    <message>
        <source>Offline ({why}): showing comments possibly out of date.</source>
        <translation>离线（{why}）：显示的评论可能不是最新的。</translation>
    </message>
    <message>
        <source>Scroll for more</source>
        <translation>向下滚动查看更多</translation>
    </message>
    <message>
        <source>Loading more…</source>
        <translation>正在加载更多…</translation>
    </message>
    <message>
        <source>Could not load more: {error}</source>
        <translation>无法加载更多：{error}</translation>
    </message>
    <message>
        <source>Replies could not be loaded: {error}</source>
        <translation>无法加载回复：{error}</translation>
    </message>
    <message>
        <source>The local server did not start: {error}</source>
        <translation>本地服务器未能启动：{error}</translation>
    </message>
</context>
<context>
    <name>CommentsPlaceholder</name>
    <message>
        <source>Comments</source>
        <translation>评论</translation>
    </message>
    <message>
        <source>The comment server settings are not available in this build.</source>
        <translation>此版本不提供评论服务器设置。</translation>
    </message>
</context>
<context>
    <name>CommentsSettingsPage</name>
    <message>
        <source>Comment server</source>
        <translation>评论服务器</translation>
    </message>
    <message>
        <source>Comment server address</source>
        <translation>评论服务器地址</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Where comments are read and posted. Everyone on one server shares threads.</source>
        <translation>在这里阅读和发表评论。同一服务器上的所有人共享评论区。</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账号</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Desktop notifications for replies and mentions</source>
        <translation>回复和提及的桌面通知</translation>
    </message>
    <message>
        <source>Replies and mentions</source>
        <translation>回复和提及</translation>
    </message>
    <message>
        <source>A desktop notification when someone replies to you or mentions you.</source>
        <translation>有人回复或提到你时显示桌面通知。</translation>
    </message>
    <message>
        <source>Enter an address starting with http:// or https://, like {example}.</source>
        <translation>请输入以 http:// 或 https:// 开头的地址，例如 {example}。</translation>
    </message>
    <message>
        <source>Already using {url}.</source>
        <translation>已在使用 {url}。</translation>
    </message>
    <message>
        <source>The settings could not be saved: {error}</source>
        <translation>无法保存设置：{error}</translation>
    </message>
    <message>
        <source>Now using {url}.</source>
        <translation>现在使用 {url}。</translation>
    </message>
</context>
<context>
    <name>CommentsWriting</name>
    <message>
        <source>Reporting…</source>
        <translation>正在举报…</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <source>{count} waiting to send: {reason}</source>
        <translation>{count} 条待发送：{reason}</translation>
    </message>
    <message>
        <source>Thank you: the moderators will look at the report.</source>
        <translation>感谢举报，管理员会尽快处理。</translation>
    </message>
</context>
<context>
    <name>ComposeBox</name>
    <message>
        <source>Add a comment…</source>
        <translation>发表评论…</translation>
    </message>
    <message>
        <source>Write a comment</source>
        <translation>写评论</translation>
    </message>
    <message>
        <source>Pin the comment to this moment of the song</source>
        <translation>将评论定位到歌曲的这一时刻</translation>
    </message>
    <message>
        <source>Post</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>at {time}</source>
        <translation>于 {time}</translation>
    </message>
    <message>
        <source>Pin to {time}</source>
        <translation>定位到 {time}</translation>
    </message>
</context>
<context>
    <name>DesktopPage</name>
    <message>
        <source>Desktop</source>
        <translation>桌面</translation>
    </message>
    <message>
        <source>Window and tray</source>
        <translation>窗口与托盘</translation>
    </message>
    <message>
        <source>Close to tray</source>
        <translation>关闭时最小化到托盘</translation>
    </message>
    <message>
        <source>Closing the window keeps Kindred playing in the tray; quit from its menu.</source>
        <translation>关闭窗口后 Kindred 会在托盘中继续播放；可从托盘菜单退出。</translation>
    </message>
    <message>
        <source>Notify on track change</source>
        <translation>切歌时通知</translation>
    </message>
    <message>
        <source>A desktop notification shows each new track with its cover.</source>
        <translation>每首新歌开始时显示带封面的桌面通知。</translation>
    </message>
    <message>
        <source>This desktop shows no tray icon, so closing the window quits Kindred.</source>
        <translation>此桌面不显示托盘图标，因此关闭窗口会退出 Kindred。</translation>
    </message>
</context>
<context>
    <name>DropIn</name>
    <message>
        <source>Dropped files</source>
        <translation>拖入的文件</translation>
    </message>
    <message>
        <source>Add to library</source>
        <translation>添加到音乐库</translation>
    </message>
    <message>
        <source>Play now</source>
        <translation>立即播放</translation>
    </message>
    <message>
        <source>Add to queue</source>
        <translation>添加到队列</translation>
    </message>
    <message>
        <source> and {n} more</source>
        <translation> 等 {n} 项</translation>
    </message>
    <message>
        <source>Kindred cannot play {n} of the dropped items</source>
        <translation>Kindred 无法播放拖入的 {n} 项内容</translation>
    </message>
    <message>
        <source>Not audio files, playlists or folders with music: {names}</source>
        <translation>不是音频文件、歌单或含音乐的文件夹：{names}</translation>
    </message>
</context>
<context>
    <name>EqualizerPage</name>
    <message>
        <source>Equalizer</source>
        <extracomment>libVLC&apos;s equalizer range (dB); sliders step in tenths of a dB</extracomment>
        <translation>均衡器</translation>
    </message>
    <message>
        <source>Use the equalizer</source>
        <translation>启用均衡器</translation>
    </message>
    <message>
        <source>Shape the sound with ten bands; off leaves the signal untouched.</source>
        <translation>用十个频段调整音色；关闭时不改动信号。</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Bands</source>
        <translation>频段</translation>
    </message>
    <message>
        <source>Preamp</source>
        <translation>前置放大</translation>
    </message>
    <message>
        <source>{hz} Hz</source>
        <translation>{hz} Hz</translation>
    </message>
</context>
<context>
    <name>FolderPage</name>
    <message>
        <source>Folders</source>
        <translation>文件夹</translation>
    </message>
    <message numerus="yes">
        <source>%Ln library folders</source>
        <translation>
            <numerusform>%Ln 个音乐库文件夹</numerusform>
        </translation>
    </message>
    <message>
        <source>No library folders with music yet</source>
        <translation>还没有含音乐的音乐库文件夹</translation>
    </message>
</context>
<context>
    <name>ForYouPage</name>
    <message>
        <source>For You</source>
        <extracomment>while analysis runs, the visible page re-reads at most this often</extracomment>
        <translation>为你推荐</translation>
    </message>
    <message>
        <source>Made on this computer from your library</source>
        <translation>根据你的音乐库，在本机生成</translation>
    </message>
    <message>
        <source>Finding music for you…</source>
        <translation>正在为你寻找音乐…</translation>
    </message>
    <message>
        <source>Nothing to recommend yet.</source>
        <translation>暂时还没有可推荐的内容。</translation>
    </message>
    <message>
        <source>Tracks you said “Not this one” to: see them and bring them back</source>
        <translation>你标记为“不要这首”的曲目：查看并恢复</translation>
    </message>
    <message>
        <source>Hidden tracks ({n})</source>
        <translation>已隐藏的曲目（{n}）</translation>
    </message>
    <message>
        <source>Saved “{name}” to your playlists</source>
        <translation>已将“{name}”保存到你的歌单</translation>
    </message>
    <message>
        <source>From the sound and tags of {tracks} tracks · made on this computer</source>
        <translation>基于 {tracks} 首歌曲的声音和标签 · 在本机生成</translation>
    </message>
    <message>
        <source>From tags, and the sound of {analysed} of {tracks} tracks analysed so far · made on this computer</source>
        <translation>基于标签，以及已分析的 {analysed}/{tracks} 首歌曲的声音 · 在本机生成</translation>
    </message>
</context>
<context>
    <name>ForYouReasons</name>
    <message>
        <source>timbre</source>
        <translation>音色</translation>
    </message>
    <message>
        <source>sound texture</source>
        <translation>质感</translation>
    </message>
    <message>
        <source>dynamics</source>
        <translation>动态</translation>
    </message>
    <message>
        <source>harmony</source>
        <translation>和声</translation>
    </message>
    <message>
        <source>tempo</source>
        <translation>节奏</translation>
    </message>
    <message>
        <source>stereo image</source>
        <translation>声场</translation>
    </message>
    <message>
        <source>artist</source>
        <translation>艺人</translation>
    </message>
    <message>
        <source>genre</source>
        <translation>流派</translation>
    </message>
    <message>
        <source>era</source>
        <translation>年代</translation>
    </message>
    <message>
        <source>composer</source>
        <translation>作曲者</translation>
    </message>
    <message>
        <source>{first} and {second}</source>
        <translation>{first}、{second}</translation>
    </message>
    <message>
        <source>your {track}</source>
        <translation>你的{track}</translation>
    </message>
    <message>
        <source>your seed {track}</source>
        <translation>作为起点的{track}</translation>
    </message>
    <message>
        <source>your liked {track}</source>
        <translation>你喜欢的{track}</translation>
    </message>
    <message>
        <source>the finished {track}</source>
        <translation>你听完的{track}</translation>
    </message>
    <message>
        <source>your favourite {track}</source>
        <translation>你常听的{track}</translation>
    </message>
    <message>
        <source>{track} (also in this mix)</source>
        <translation>{track}（也在这份混音里）</translation>
    </message>
    <message>
        <source>a favourite: you liked it</source>
        <translation>你的最爱：你喜欢过它</translation>
    </message>
    <message>
        <source>a favourite: you rated it {stars} of 5</source>
        <translation>最爱：你给了 {stars} 星（满分 5 星）</translation>
    </message>
    <message>
        <source>a favourite: you played it through on {days} days</source>
        <translation>最爱：你在 {days} 天里完整听过它</translation>
    </message>
    <message>
        <source>a favourite: you finished it once</source>
        <translation>你的最爱：你完整听过 1 次</translation>
    </message>
    <message>
        <source>a favourite: you finished it {count} times</source>
        <translation>你的最爱：你完整听过 {count} 次</translation>
    </message>
    <message>
        <source>something you have not heard yet</source>
        <translation>你还没听过的新歌</translation>
    </message>
    <message>
        <source>from your library</source>
        <translation>来自你的音乐库</translation>
    </message>
    <message>
        <source>similar {sounds} to {track}</source>
        <translation>{sounds}与{track}相近</translation>
    </message>
    <message>
        <source>same {fields}</source>
        <translation>同一{fields}</translation>
    </message>
    <message>
        <source>same {fields} as {track}</source>
        <translation>与{track}同一{fields}</translation>
    </message>
    <message>
        <source>sounds close to {track}</source>
        <translation>听起来与{track}相近</translation>
    </message>
    <message>
        <source>{first}; {then}</source>
        <translation>{first}；{then}</translation>
    </message>
    <message>
        <source>from {album} by {artist}, an album you have not opened yet</source>
        <translation>来自 {artist} 的《{album}》，一张你还没打开过的专辑</translation>
    </message>
    <message>
        <source>from {album}, an album you have not opened yet</source>
        <translation>来自《{album}》，一张你还没打开过的专辑</translation>
    </message>
    <message>
        <source>{artist}, an artist you have not played yet</source>
        <translation>{artist}，一位你还没听过的艺人</translation>
    </message>
    <message>
        <source>{genre} from the {decade}s</source>
        <translation>{decade} 年代的{genre}</translation>
    </message>
    <message>
        <source>from the {decade}s</source>
        <translation>来自 {decade} 年代</translation>
    </message>
</context>
<context>
    <name>ForYouShelves</name>
    <message>
        <source>Scan some music and recommendations appear here.</source>
        <translation>扫描一些音乐后，推荐会出现在这里。</translation>
    </message>
    <message>
        <source>a track</source>
        <translation>一首歌</translation>
    </message>
    <message>
        <source>{title} by {artist}</source>
        <translation>{artist} 的《{title}》</translation>
    </message>
    <message>
        <source>Favourites and discoveries for {day}: a fresh mix every day</source>
        <translation>{day}的最爱与新发现：每天一份新歌单</translation>
    </message>
    <message>
        <source>Today&apos;s mix</source>
        <translation>每日推荐</translation>
    </message>
    <message>
        <source>Radio from what&apos;s playing</source>
        <translation>根据正在播放的歌曲开电台</translation>
    </message>
    <message>
        <source>Radio from what you played last</source>
        <translation>根据你最近播放的歌曲开电台</translation>
    </message>
    <message>
        <source>Starting from {track}</source>
        <translation>从 {track} 开始</translation>
    </message>
    <message>
        <source>Similar to {track}</source>
        <translation>与 {track} 相似</translation>
    </message>
    <message>
        <source>Closest in sound and tags, spread over artists</source>
        <translation>声音和标签最接近，覆盖不同艺人</translation>
    </message>
    <message>
        <source>{tracks} and {count} more</source>
        <translation>{tracks} 等 {count} 首</translation>
    </message>
    <message>
        <source>Radio from {tracks}</source>
        <translation>来自 {tracks} 的电台</translation>
    </message>
    <message>
        <source>Steered by what you like and skip</source>
        <translation>根据你的喜欢和跳过实时调整</translation>
    </message>
    <message>
        <source>Because you liked {track}</source>
        <translation>因为你喜欢 {track}</translation>
    </message>
    <message>
        <source>Because you played {track}</source>
        <translation>因为你听过 {track}</translation>
    </message>
    <message>
        <source>More like it from your library</source>
        <translation>你的音乐库中的相似歌曲</translation>
    </message>
</context>
<context>
    <name>HeartButton</name>
    <message>
        <source>Unlike this track</source>
        <extracomment>larger selections are written on a worker (one transaction) instead of at once</extracomment>
        <translation>取消喜欢</translation>
    </message>
    <message>
        <source>Like this track</source>
        <translation>喜欢这首歌</translation>
    </message>
</context>
<context>
    <name>HiddenTracksDialog</name>
    <message>
        <source>Hidden tracks</source>
        <translation>已隐藏的曲目</translation>
    </message>
    <message>
        <source>Tracks you said “Not this one” to on For You, most recent first. Restore them and they can be recommended again.</source>
        <translation>你在“为你推荐”中标记为“不要这首”的曲目，最近的在前。恢复后，它们可以再次被推荐。</translation>
    </message>
    <message>
        <source>Nothing is hidden from your recommendations.</source>
        <translation>推荐中没有被隐藏的曲目。</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Let the selected tracks be recommended again</source>
        <translation>让所选曲目可以再次被推荐</translation>
    </message>
    <message>
        <source>Restore all</source>
        <translation>全部恢复</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Could not read the hidden tracks: {error}</source>
        <translation>无法读取已隐藏的曲目：{error}</translation>
    </message>
    <message>
        <source>Unknown title</source>
        <translation>未知标题</translation>
    </message>
    <message>
        <source>Hidden {when}</source>
        <translation>隐藏于 {when}</translation>
    </message>
    <message>
        <source>Could not restore: {error}</source>
        <translation>无法恢复：{error}</translation>
    </message>
    <message numerus="yes">
        <source>Restored %Ln tracks: For You can suggest them again.</source>
        <translation>
            <numerusform>已恢复 %Ln 首曲目：“为你推荐”可以再次推荐它们。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HourChart</name>
    <message>
        <source>Listening by hour of the day</source>
        <translation>一天中各时段的收听</translation>
    </message>
    <message>
        <source>Most listening around {hour}:00</source>
        <translation>{hour}:00 前后听得最多</translation>
    </message>
</context>
<context>
    <name>InboxPopup</name>
    <message>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Load more</source>
        <translation>加载更多</translation>
    </message>
    <message>
        <source>Sign in to a comment server to get notifications.</source>
        <translation>登录评论服务器后即可收到通知。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Notifications could not be loaded: {error}</source>
        <translation>无法加载通知：{error}</translation>
    </message>
    <message>
        <source>No notifications yet.</source>
        <translation>还没有通知。</translation>
    </message>
    <message>
        <source>a song</source>
        <translation>一首歌</translation>
    </message>
    <message>
        <source>That song is not in your library, so its comments cannot be opened here.</source>
        <translation>这首歌不在你的曲库中，因此无法在这里打开它的评论。</translation>
    </message>
</context>
<context>
    <name>InboxRow</name>
    <message>
        <source>Someone</source>
        <translation>有人</translation>
    </message>
    <message>
        <source>{name} replied to your comment</source>
        <translation>{name} 回复了你的评论</translation>
    </message>
    <message>
        <source>{name} mentioned you</source>
        <translation>{name} 提到了你</translation>
    </message>
    <message>
        <source>{name} liked your comment</source>
        <translation>{name} 赞了你的评论</translation>
    </message>
    <message>
        <source>{first} and {second} liked your comment</source>
        <translation>{first} 和 {second} 赞了你的评论</translation>
    </message>
    <message numerus="yes">
        <source>%n people liked your comment</source>
        <translation>
            <numerusform>%n 人赞了你的评论</numerusform>
        </translation>
    </message>
    <message>
        <source>A moderator hid your comment: {reason}</source>
        <translation>管理员隐藏了你的评论：{reason}</translation>
    </message>
    <message>
        <source>A moderator hid your comment</source>
        <translation>管理员隐藏了你的评论</translation>
    </message>
</context>
<context>
    <name>LibraryBrowserPage</name>
    <message>
        <source>Artist › Album › Track</source>
        <extracomment>the grouping a new browser shows how long the selection rests before its tracks are read (for a drag) how long the current row and the scroll position rest before the rows on screen have their children read ahead a drag waiting for its tracks to be read (its actions), see :meth:`startDrag`</extracomment>
        <translation>艺人 › 专辑 › 曲目</translation>
    </message>
    <message>
        <source>Album artist › Album › Track</source>
        <translation>专辑艺人 › 专辑 › 曲目</translation>
    </message>
    <message>
        <source>Genre › Artist › Album › Track</source>
        <translation>流派 › 艺人 › 专辑 › 曲目</translation>
    </message>
    <message>
        <source>Year › Album › Track</source>
        <translation>年份 › 专辑 › 曲目</translation>
    </message>
    <message>
        <source>Composer › Work › Track</source>
        <translation>作曲者 › 作品 › 曲目</translation>
    </message>
    <message>
        <source>Folder › Track</source>
        <translation>文件夹 › 曲目</translation>
    </message>
    <message>
        <source>Library browser</source>
        <translation>音乐库浏览器</translation>
    </message>
    <message>
        <source>Group by</source>
        <translation>分组方式</translation>
    </message>
    <message>
        <source>Unknown year</source>
        <translation>未知年份</translation>
    </message>
    <message>
        <source>Unknown artist</source>
        <translation>未知艺人</translation>
    </message>
    <message>
        <source>No genre</source>
        <translation>无流派</translation>
    </message>
    <message>
        <source>No composer</source>
        <translation>无作曲者</translation>
    </message>
    <message>
        <source>No album</source>
        <translation>无专辑</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln groups match “%1”</source>
        <translation>
            <numerusform>%Ln 个分组匹配“%1”</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln groups</source>
        <translation>
            <numerusform>%Ln 个分组</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LibraryPage</name>
    <message>
        <source>Library</source>
        <extracomment>answers to &quot;remove this folder?&quot;</extracomment>
        <translation>音乐库</translation>
    </message>
    <message>
        <source>Music folders</source>
        <translation>音乐文件夹</translation>
    </message>
    <message>
        <source>Kindred finds music in these folders and everything below them. Tracks stay playable from where they are; nothing is copied.</source>
        <translation>Kindred 会在这些文件夹及其所有子文件夹中查找音乐。歌曲在原位置播放，不会复制任何文件。</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>添加文件夹…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Rescan now</source>
        <translation>立即重新扫描</translation>
    </message>
    <message>
        <source>Look for new, changed and deleted files in every folder</source>
        <translation>在所有文件夹中查找新增、修改和删除的文件</translation>
    </message>
    <message>
        <source>Keeping up to date</source>
        <translation>保持更新</translation>
    </message>
    <message>
        <source>Watch folders for changes</source>
        <translation>监视文件夹变化</translation>
    </message>
    <message>
        <source>New and changed files are added while Kindred runs.</source>
        <translation>Kindred 运行时会自动加入新增和修改的文件。</translation>
    </message>
    <message>
        <source>No folders yet: add the folder that holds your music.</source>
        <translation>还没有文件夹：请添加存放音乐的文件夹。</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>正在扫描…</translation>
    </message>
    <message>
        <source>Add a music folder</source>
        <translation>添加音乐文件夹</translation>
    </message>
    <message>
        <source>{folder} is not a folder.</source>
        <translation>{folder} 不是文件夹。</translation>
    </message>
    <message>
        <source>That folder is already in the library.</source>
        <translation>该文件夹已在音乐库中。</translation>
    </message>
    <message>
        <source>Remove folder</source>
        <translation>移除文件夹</translation>
    </message>
    <message>
        <source>Stop using {folder}?</source>
        <translation>不再使用 {folder}？</translation>
    </message>
    <message>
        <source>Its tracks can leave the library (with their play counts and ratings), or stay playable while Kindred stops looking for changes there. No file is deleted from the disk.</source>
        <translation>其中的歌曲可以移出音乐库（连同播放次数和评分），也可以保留可播放，只是 Kindred 不再检查那里的变化。磁盘上的文件不会被删除。</translation>
    </message>
    <message>
        <source>Remove its tracks</source>
        <translation>移除其中的歌曲</translation>
    </message>
    <message>
        <source>Keep tracks</source>
        <translation>保留歌曲</translation>
    </message>
    <message>
        <source>Removing {folder}…</source>
        <translation>正在移除 {folder}…</translation>
    </message>
    <message>
        <source>Could not remove {folder}.</source>
        <translation>无法移除 {folder}。</translation>
    </message>
    <message>
        <source>Removed {folder} and {n} tracks.</source>
        <translation>已移除 {folder} 及 {n} 首歌曲。</translation>
    </message>
    <message>
        <source>Kindred no longer watches {folder}.</source>
        <translation>Kindred 不再监视 {folder}。</translation>
    </message>
</context>
<context>
    <name>ListeningPage</name>
    <message>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <source>Your listening</source>
        <translation>我的收听</translation>
    </message>
    <message>
        <source>From what you played on this computer</source>
        <translation>根据你在这台电脑上播放的内容</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 天</translation>
    </message>
    <message>
        <source>30 days</source>
        <translation>30 天</translation>
    </message>
    <message>
        <source>12 months</source>
        <translation>12 个月</translation>
    </message>
    <message>
        <source>All time</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>Reading your listening…</source>
        <translation>正在读取收听记录…</translation>
    </message>
    <message>
        <source>listened</source>
        <translation>收听时长</translation>
    </message>
    <message>
        <source>plays</source>
        <translation>播放次数</translation>
    </message>
    <message>
        <source>tracks</source>
        <translation>首歌曲</translation>
    </message>
    <message>
        <source>artists</source>
        <translation>位艺人</translation>
    </message>
    <message>
        <source>heard for the first time</source>
        <translation>首次听到</translation>
    </message>
    <message>
        <source>When you listen</source>
        <translation>收听时段</translation>
    </message>
    <message>
        <source>Most played artists</source>
        <translation>最常听的艺人</translation>
    </message>
    <message>
        <source>Double-click to show the artist</source>
        <translation>双击查看艺人</translation>
    </message>
    <message>
        <source>Most played albums</source>
        <translation>最常听的专辑</translation>
    </message>
    <message>
        <source>Double-click to show the album</source>
        <translation>双击查看专辑</translation>
    </message>
    <message>
        <source>Most played tracks</source>
        <translation>最常听的歌曲</translation>
    </message>
    <message>
        <source>Double-click to play</source>
        <translation>双击播放</translation>
    </message>
    <message>
        <source>Your listening could not be read: {error}</source>
        <translation>无法读取收听记录：{error}</translation>
    </message>
    <message>
        <source>From what you played on this computer and the listening history you imported</source>
        <translation>根据你在这台电脑上播放的内容和你导入的收听历史</translation>
    </message>
    <message>
        <source>Nothing played in this period yet. What you play shows up here.</source>
        <translation>这段时间还没有播放记录。你播放的内容会显示在这里。</translation>
    </message>
</context>
<context>
    <name>LyricsPage</name>
    <message>
        <source>Lyrics</source>
        <translation>歌词</translation>
    </message>
    <message>
        <source>Lyrics online</source>
        <translation>在线歌词</translation>
    </message>
    <message>
        <source>When a song has no lyrics of its own (no .lrc beside it, none in its tags), Kindred can ask LRCLIB, a free lyrics database. Only then are the song&apos;s artist, title, album and length sent. Off until you turn it on.</source>
        <translation>当歌曲本身没有歌词（旁边没有 .lrc 文件，标签里也没有）时，Kindred 可以向免费歌词库 LRCLIB 查询。只有这时才会发送歌曲的艺术家、标题、专辑和时长。在你开启之前保持关闭。</translation>
    </message>
    <message>
        <source>Look up missing lyrics online</source>
        <translation>在线查找缺少的歌词</translation>
    </message>
    <message>
        <source>Answers are kept in the library, so a song is asked about once.</source>
        <translation>查询结果保存在媒体库中，每首歌只查询一次。</translation>
    </message>
    <message>
        <source>Lyrics server address</source>
        <translation>歌词服务器地址</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>An LRCLIB server; empty means %1.</source>
        <translation>LRCLIB 服务器；留空表示 %1。</translation>
    </message>
    <message>
        <source>Save found lyrics as .lrc files</source>
        <translation>将找到的歌词保存为 .lrc 文件</translation>
    </message>
    <message>
        <source>Written beside the song with the same name; an existing file is never replaced.</source>
        <translation>以相同文件名保存在歌曲旁边；绝不覆盖已有文件。</translation>
    </message>
    <message>
        <source>Showing lyrics</source>
        <translation>歌词显示</translation>
    </message>
    <message>
        <source>Show translations</source>
        <translation>显示翻译</translation>
    </message>
    <message>
        <source>Bilingual lyrics (two lines with the same time) show the second line under the first. Also in the lyrics tab.</source>
        <translation>双语歌词（时间相同的两行）会把第二行显示在第一行下方。也可在歌词标签页中切换。</translation>
    </message>
</context>
<context>
    <name>LyricsPanel</name>
    <message>
        <source>Translation</source>
        <translation>翻译</translation>
    </message>
    <message>
        <source>Show the translation under each line (bilingual lyrics)</source>
        <translation>在每行下方显示翻译（双语歌词）</translation>
    </message>
    <message>
        <source>Lyrics earlier by 0.5 s</source>
        <translation>歌词提前 0.5 秒</translation>
    </message>
    <message>
        <source>Lyrics earlier</source>
        <translation>歌词提前</translation>
    </message>
    <message>
        <source>Lyrics later by 0.5 s</source>
        <translation>歌词延后 0.5 秒</translation>
    </message>
    <message>
        <source>Lyrics later</source>
        <translation>歌词延后</translation>
    </message>
    <message>
        <source>This track&apos;s lyrics offset, saved in the library</source>
        <translation>此曲目的歌词偏移，保存在媒体库中</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Lyrics appear here while a song plays.</source>
        <translation>播放歌曲时，歌词会显示在这里。</translation>
    </message>
    <message>
        <source>Looking for lyrics…</source>
        <translation>正在查找歌词…</translation>
    </message>
    <message>
        <source>An instrumental: no lyrics to sing along.</source>
        <translation>纯音乐：没有可跟唱的歌词。</translation>
    </message>
    <message>
        <source>No lyrics found for this song, here or online.</source>
        <translation>本地和在线都没有找到这首歌的歌词。</translation>
    </message>
    <message>
        <source>No lyrics for this song yet.

Put a .lrc file next to it
(same name) and they will show up here.</source>
        <translation>这首歌暂无歌词。

把同名的 .lrc 文件
放在歌曲旁边，歌词就会显示在这里。</translation>
    </message>
    <message>
        <source>From LRCLIB</source>
        <translation>来自 LRCLIB</translation>
    </message>
</context>
<context>
    <name>LyricsView</name>
    <message>
        <source>Lyrics</source>
        <extracomment>one press of the offset buttons, in ms the listener&apos;s offset of this track (ms; positive: lines come earlier)</extracomment>
        <translation>歌词</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Kindred</source>
        <extracomment>length of each demo track made from the welcome page (seconds) MPRIS, tray, notifications and the single-instance server, once started</extracomment>
        <translation>Kindred</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Keyboard shortcuts (F1)</source>
        <translation>键盘快捷键 (F1)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Settings (Ctrl+,)</source>
        <translation>设置 (Ctrl+,)</translation>
    </message>
    <message>
        <source>Queue, lyrics and comments</source>
        <translation>队列、歌词和评论</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>队列</translation>
    </message>
    <message>
        <source>Lyrics</source>
        <translation>歌词</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>评论</translation>
    </message>
    <message>
        <source>Genres</source>
        <translation>流派</translation>
    </message>
    <message numerus="yes">
        <source>%Ln tracks in the library</source>
        <translation>
            <numerusform>音乐库中共 %Ln 首歌曲</numerusform>
        </translation>
    </message>
    <message>
        <source>All tracks</source>
        <translation>全部歌曲</translation>
    </message>
    <message>
        <source>Results for “{text}”</source>
        <translation>“{text}”的搜索结果</translation>
    </message>
    <message>
        <source>Choose your music folder</source>
        <translation>选择你的音乐文件夹</translation>
    </message>
    <message>
        <source>Cannot save settings</source>
        <translation>无法保存设置</translation>
    </message>
    <message>
        <source>Making the demo library…</source>
        <translation>正在生成演示音乐库…</translation>
    </message>
</context>
<context>
    <name>ModerationPage</name>
    <message>
        <source>Moderation</source>
        <translation>管理</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>OPEN REPORTS</source>
        <translation>待处理举报</translation>
    </message>
    <message>
        <source>No open reports.</source>
        <translation>没有待处理的举报。</translation>
    </message>
    <message>
        <source>MODERATION LOG</source>
        <translation>管理日志</translation>
    </message>
    <message>
        <source>Moderation log</source>
        <translation>管理日志</translation>
    </message>
    <message>
        <source>Load older entries</source>
        <translation>加载更早的记录</translation>
    </message>
    <message>
        <source>The reports could not be loaded: {error}</source>
        <translation>无法加载举报：{error}</translation>
    </message>
    <message>
        <source>The moderation log could not be loaded: {error}</source>
        <translation>无法加载管理日志：{error}</translation>
    </message>
    <message>
        <source>[deleted]</source>
        <translation>[已删除]</translation>
    </message>
    <message>
        <source>{who} hid comment #{comment} of {target}</source>
        <translation>{who} 隐藏了 {target} 的评论 #{comment}</translation>
    </message>
    <message>
        <source>{who} dismissed a report on comment #{comment} of {target}</source>
        <translation>{who} 驳回了对 {target} 的评论 #{comment} 的举报</translation>
    </message>
    <message>
        <source>{who} suspended {target} until {until}</source>
        <translation>{who} 封禁了 {target}，直到 {until}</translation>
    </message>
    <message>
        <source>{who} lifted the suspension of {target}</source>
        <translation>{who} 解除了对 {target} 的封禁</translation>
    </message>
    <message>
        <source>{who} suspended {target} for good</source>
        <translation>{who} 永久封禁了 {target}</translation>
    </message>
</context>
<context>
    <name>ModerationTab</name>
    <message>
        <source>Moderation</source>
        <translation>管理</translation>
    </message>
</context>
<context>
    <name>Navigation</name>
    <message>
        <source>Browser</source>
        <translation>浏览器</translation>
    </message>
    <message>
        <source>Artists</source>
        <translation>艺人</translation>
    </message>
    <message>
        <source>Albums</source>
        <translation>专辑</translation>
    </message>
    <message>
        <source>Tracks</source>
        <translation>歌曲</translation>
    </message>
    <message>
        <source>Genres</source>
        <translation>流派</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Navigation</source>
        <translation>导航</translation>
    </message>
    <message>
        <source>Library</source>
        <translation>音乐库</translation>
    </message>
    <message>
        <source>Playlists</source>
        <translation>歌单</translation>
    </message>
    <message>
        <source>No playlists yet</source>
        <translation>还没有歌单</translation>
    </message>
    <message>
        <source>Listen</source>
        <translation>收听</translation>
    </message>
    <message>
        <source>Radio stations</source>
        <translation>电台</translation>
    </message>
    <message>
        <source>For You</source>
        <translation>为你推荐</translation>
    </message>
    <message>
        <source>Your listening</source>
        <translation>我的收听</translation>
    </message>
</context>
<context>
    <name>NoticeBar</name>
    <message>
        <source>Notice</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Dismiss notice</source>
        <translation>关闭提示</translation>
    </message>
    <message>
        <source>Something unexpected went wrong</source>
        <translation>发生了意外错误</translation>
    </message>
</context>
<context>
    <name>NowPlayingBar</name>
    <message>
        <source>Cover art</source>
        <translation>封面</translation>
    </message>
    <message>
        <source>Title of the playing track</source>
        <translation>正在播放的歌曲标题</translation>
    </message>
    <message>
        <source>Artist of the playing track: show the artist</source>
        <translation>正在播放的歌曲艺人：查看艺人</translation>
    </message>
    <message>
        <source>Album of the playing track: show the album</source>
        <translation>正在播放的歌曲专辑：查看专辑</translation>
    </message>
    <message>
        <source>Shuffle</source>
        <translation>随机播放</translation>
    </message>
    <message>
        <source>Previous track</source>
        <translation>上一首</translation>
    </message>
    <message>
        <source>Previous (Ctrl+Left)</source>
        <translation>上一首 (Ctrl+Left)</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Play / pause (Space)</source>
        <translation>播放/暂停 (空格)</translation>
    </message>
    <message>
        <source>Next track</source>
        <translation>下一首</translation>
    </message>
    <message>
        <source>Next (Ctrl+Right)</source>
        <translation>下一首 (Ctrl+Right)</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>循环播放</translation>
    </message>
    <message>
        <source>Repeat: off / all / one</source>
        <translation>循环：关闭 / 列表循环 / 单曲循环</translation>
    </message>
    <message>
        <source>Position in track</source>
        <translation>播放进度</translation>
    </message>
    <message>
        <source>Audio format</source>
        <translation>音频格式</translation>
    </message>
    <message>
        <source>ReplayGain</source>
        <translation>音量均衡</translation>
    </message>
    <message>
        <source>Radio from this track</source>
        <translation>以这首歌开电台</translation>
    </message>
    <message>
        <source>Start a radio from this track</source>
        <translation>以这首歌开启电台</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>Volume</source>
        <translation>音量</translation>
    </message>
    <message>
        <source>Nothing playing</source>
        <translation>暂无播放</translation>
    </message>
    <message>
        <source>Pick something from your library</source>
        <translation>从音乐库中挑一首歌吧</translation>
    </message>
    <message>
        <source>Internet radio</source>
        <translation>网络电台</translation>
    </message>
    <message>
        <source>Bit-perfect</source>
        <translation>比特完美</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Repeat: off</source>
        <translation>循环：关闭</translation>
    </message>
    <message>
        <source>Repeat: all</source>
        <translation>循环：列表循环</translation>
    </message>
    <message>
        <source>Repeat: one</source>
        <translation>循环：单曲循环</translation>
    </message>
</context>
<context>
    <name>PlaybackPage</name>
    <message>
        <source>Playback</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Output device</source>
        <translation>输出设备</translation>
    </message>
    <message>
        <source>Where the sound goes. Changing it moves the playing track at once.</source>
        <translation>声音从哪里输出。更改后正在播放的歌曲会立即切换。</translation>
    </message>
    <message>
        <source>Volume levelling (ReplayGain)</source>
        <translation>音量均衡 (ReplayGain)</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Bit-perfect</source>
        <translation>比特完美</translation>
    </message>
    <message>
        <source>The device gets each track&apos;s own samples at its own rate and format. Volume, ReplayGain and the equalizer are bypassed. From the next track on.</source>
        <translation>设备按每首曲目自身的采样率和格式收到原始采样。音量、ReplayGain 和均衡器都会被绕过。从下一首开始生效。</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 秒</translation>
    </message>
    <message>
        <source>Crossfade</source>
        <translation>交叉淡入淡出</translation>
    </message>
    <message>
        <source>Tracks of different albums overlap by this much; an album always plays gapless. Off in bit-perfect mode.</source>
        <translation>不同专辑的曲目按此时长重叠；同一专辑始终无缝播放。比特完美模式下关闭。</translation>
    </message>
    <message>
        <source>Track</source>
        <translation>单曲</translation>
    </message>
    <message>
        <source>Album</source>
        <translation>专辑</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>32-bit float</source>
        <translation>32 位浮点</translation>
    </message>
    <message>
        <source>32-bit integer</source>
        <translation>32 位整数</translation>
    </message>
    <message>
        <source>24-bit integer</source>
        <translation>24 位整数</translation>
    </message>
    <message>
        <source>16-bit integer</source>
        <translation>16 位整数</translation>
    </message>
    <message>
        <source>Sample format</source>
        <translation>采样格式</translation>
    </message>
    <message>
        <source>What the device is given. Automatic asks the device what it takes. Integers are dithered (TPDF) whenever volume, ReplayGain or the equalizer changed the signal. From the next track on.</source>
        <translation>送给设备的格式。“自动”会询问设备支持什么。音量、回放增益或均衡器改变了信号时，整数格式会加 TPDF 抖动。从下一首开始生效。</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Automatic uses album gain while an album plays in order, else track gain.</source>
        <translation>“自动”在按顺序播放专辑时使用专辑增益，否则使用单曲增益。</translation>
    </message>
    <message>
        <source>Preamp</source>
        <translation>前置放大</translation>
    </message>
    <message>
        <source>Added to every ReplayGain adjustment.</source>
        <translation>叠加到每次音量均衡调整上。</translation>
    </message>
    <message>
        <source>Gain without tags</source>
        <translation>无标签时的增益</translation>
    </message>
    <message>
        <source>For tracks that have no ReplayGain information.</source>
        <translation>用于没有 ReplayGain 信息的歌曲。</translation>
    </message>
    <message>
        <source>Prevent clipping</source>
        <translation>防止削波</translation>
    </message>
    <message>
        <source>Lowers the gain where the track&apos;s peak would otherwise clip.</source>
        <translation>在歌曲峰值会削波时降低增益。</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>系统默认</translation>
    </message>
    <message>
        <source>{name} (not connected)</source>
        <translation>{name}（未连接）</translation>
    </message>
    <message>
        <source>Now playing “{title}” with {gain} dB.</source>
        <translation>正在以 {gain} dB 播放“{title}”。</translation>
    </message>
</context>
<context>
    <name>PlayerBridge</name>
    <message>
        <source>Playback hit an internal error</source>
        <translation>播放出现内部错误</translation>
    </message>
    <message>
        <source>Could not {action}</source>
        <translation>无法执行 {action}</translation>
    </message>
    <message>
        <source>… and {count} more</source>
        <translation>… 还有 {count} 项</translation>
    </message>
    <message>
        <source>{count} tracks could not be played</source>
        <translation>{count} 首歌曲无法播放</translation>
    </message>
</context>
<context>
    <name>PlaylistActions</name>
    <message>
        <source>New playlist</source>
        <translation>新建歌单</translation>
    </message>
    <message>
        <source>Delete playlist</source>
        <translation>删除歌单</translation>
    </message>
    <message>
        <source>Delete the playlist “{name}”?</source>
        <translation>删除歌单“{name}”？</translation>
    </message>
    <message>
        <source>The tracks stay in your library.</source>
        <translation>歌曲仍会保留在你的音乐库中。</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Deleted the playlist “{name}”</source>
        <translation>已删除歌单“{name}”</translation>
    </message>
    <message numerus="yes">
        <source>Added %Ln tracks to “{name}”</source>
        <translation>
            <numerusform>已将 %Ln 首歌曲添加到“{name}”</numerusform>
        </translation>
    </message>
    <message>
        <source>The queue is empty</source>
        <translation>队列为空</translation>
    </message>
    <message>
        <source>Add tracks first.</source>
        <translation>请先添加歌曲。</translation>
    </message>
    <message>
        <source>Save queue as playlist</source>
        <translation>将队列保存为歌单</translation>
    </message>
    <message>
        <source>Playlist name</source>
        <translation>歌单名称</translation>
    </message>
    <message>
        <source>Queue {date}</source>
        <translation>队列 {date}</translation>
    </message>
    <message>
        <source>Saved {n} queued tracks as “{name}”</source>
        <translation>已将队列中的 {n} 首歌曲保存为“{name}”</translation>
    </message>
    <message>
        <source>Import playlist</source>
        <translation>导入歌单</translation>
    </message>
    <message>
        <source>Playlists (*.m3u *.m3u8 *.pls *.xspf)</source>
        <translation>歌单 (*.m3u *.m3u8 *.pls *.xspf)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>Cannot read the playlist file</source>
        <translation>无法读取歌单文件</translation>
    </message>
    <message>
        <source>Imported “{name}”: {found} of {total} entries found</source>
        <translation>已导入“{name}”：找到 {found} / {total} 项</translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation>… 还有 {n} 项</translation>
    </message>
    <message>
        <source>{n} entries of “{name}” are missing</source>
        <translation>“{name}”中有 {n} 项缺失</translation>
    </message>
    <message>
        <source>, {n} missing</source>
        <translation>，缺失 {n} 项</translation>
    </message>
    <message>
        <source>Export playlist</source>
        <translation>导出歌单</translation>
    </message>
    <message>
        <source>Cannot write the playlist file</source>
        <translation>无法写入歌单文件</translation>
    </message>
    <message>
        <source>Exported {n} entries to {path}</source>
        <translation>已导出 {n} 项到 {path}</translation>
    </message>
</context>
<context>
    <name>PlaylistPage</name>
    <message numerus="yes">
        <source>%Ln tracks</source>
        <translation>
            <numerusform>%Ln 首歌曲</numerusform>
        </translation>
    </message>
    <message>
        <source>Smart playlist · {query} · {count}</source>
        <translation>智能歌单 · {query} · {count}</translation>
    </message>
    <message>
        <source> · {n} missing</source>
        <translation> · 缺失 {n} 首</translation>
    </message>
    <message>
        <source>The list is sorted by a column</source>
        <translation>列表正按某一列排序</translation>
    </message>
    <message>
        <source>Choose “Natural order” (right-click a column header) to see the playlist&apos;s own order, then drag tracks to reorder it.</source>
        <translation>选择“自然顺序”（右键单击列标题）查看歌单原本的顺序，然后拖动歌曲调整顺序。</translation>
    </message>
</context>
<context>
    <name>PlaylistSidebar</name>
    <message>
        <source>New playlist, smart playlist or import</source>
        <translation>新建歌单、智能歌单或导入</translation>
    </message>
    <message>
        <source>Add a playlist</source>
        <translation>添加歌单</translation>
    </message>
    <message>
        <source>Playlists</source>
        <translation>歌单</translation>
    </message>
    <message>
        <source>New playlist</source>
        <translation>新建歌单</translation>
    </message>
    <message>
        <source>New smart playlist…</source>
        <translation>新建智能歌单…</translation>
    </message>
    <message>
        <source>Import playlist…</source>
        <translation>导入歌单…</translation>
    </message>
    <message>
        <source>Playlist actions</source>
        <translation>歌单操作</translation>
    </message>
    <message>
        <source>Edit query…</source>
        <translation>编辑查询…</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
</context>
<context>
    <name>PlaylistTrackView</name>
    <message>
        <source>Remove from playlist</source>
        <translation>从歌单中移除</translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message>
        <source>Moderator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>屏蔽</translation>
    </message>
    <message>
        <source>Their comments</source>
        <translation>TA 的评论</translation>
    </message>
    <message>
        <source>Load more</source>
        <translation>加载更多</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Play this song from your library</source>
        <translation>从你的曲库播放这首歌</translation>
    </message>
    <message>
        <source>{name} — profile</source>
        <translation>{name} — 个人主页</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>The profile could not be loaded: {error}</source>
        <translation>无法加载个人主页：{error}</translation>
    </message>
    <message>
        <source>dd MMM yyyy</source>
        <comment>date format</comment>
        <translation>yyyy年M月d日</translation>
    </message>
    <message>
        <source>Joined {date}</source>
        <translation>{date} 加入</translation>
    </message>
    <message numerus="yes">
        <source>%n comments</source>
        <translation>
            <numerusform>%n 条评论</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n likes received</source>
        <translation>
            <numerusform>收到 %n 个赞</numerusform>
        </translation>
    </message>
    <message>
        <source>suspended for good</source>
        <translation>已被永久封禁</translation>
    </message>
    <message>
        <source>suspended until {date}</source>
        <translation>封禁至 {date}</translation>
    </message>
    <message>
        <source>Their comments could not be loaded: {error}</source>
        <translation>无法加载 TA 的评论：{error}</translation>
    </message>
    <message>
        <source>No comments yet.</source>
        <translation>还没有评论。</translation>
    </message>
    <message>
        <source>an unknown song</source>
        <translation>未知歌曲</translation>
    </message>
    <message>
        <source>in your library</source>
        <translation>在你的曲库中</translation>
    </message>
    <message>
        <source>[deleted]</source>
        <translation>[已删除]</translation>
    </message>
    <message>
        <source>Double-click to play it from your library</source>
        <translation>双击从你的曲库播放</translation>
    </message>
    <message>
        <source>This song is no longer in your library.</source>
        <translation>这首歌已不在你的曲库中。</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>取消屏蔽</translation>
    </message>
    <message>
        <source>Show their comments again</source>
        <translation>重新显示 TA 的评论</translation>
    </message>
    <message>
        <source>Hide their comments and notifications from you</source>
        <translation>不再看到 TA 的评论和通知</translation>
    </message>
    <message>
        <source>Could not change the mute: {error}</source>
        <translation>无法更改屏蔽：{error}</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <source>Playback stops after this track</source>
        <extracomment>``drop_tracks(ids, row)``: library tracks dropped before display row *row*</extracomment>
        <translation>本曲播完后停止播放</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Clear the queue</source>
        <translation>清空队列</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Save the queue as a playlist</source>
        <translation>将队列保存为歌单</translation>
    </message>
    <message>
        <source>Play queue</source>
        <translation>播放队列</translation>
    </message>
    <message numerus="yes">
        <source>%Ln tracks</source>
        <translation>
            <numerusform>%Ln 首歌曲</numerusform>
        </translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Stop after this track</source>
        <translation>播完本曲后停止</translation>
    </message>
    <message>
        <source>Remove from queue</source>
        <translation>从队列中移除</translation>
    </message>
    <message>
        <source>Save as playlist…</source>
        <translation>保存为歌单…</translation>
    </message>
    <message>
        <source>Clear queue</source>
        <translation>清空队列</translation>
    </message>
</context>
<context>
    <name>RadioPage</name>
    <message>
        <source>Radio</source>
        <extracomment>titles listed per station</extracomment>
        <translation>电台</translation>
    </message>
    <message>
        <source>Add station…</source>
        <translation>添加电台…</translation>
    </message>
    <message>
        <source>Add a stream address or a station playlist (.m3u, .pls, .xspf)</source>
        <translation>添加流地址或电台播放列表（.m3u、.pls、.xspf）</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Radio stations</source>
        <translation>电台</translation>
    </message>
    <message>
        <source>Recently heard</source>
        <translation>最近听到</translation>
    </message>
    <message>
        <source>Titles the station announces while it plays are kept here.</source>
        <translation>电台播放时播报的曲目名会保存在这里。</translation>
    </message>
    <message>
        <source>No stations yet.
Add one with “Add station…”: a stream address or a .m3u, .pls or .xspf file.</source>
        <translation>还没有电台。
用“添加电台…”添加一个：流地址，或 .m3u、.pls、.xspf 文件。</translation>
    </message>
    <message>
        <source>Recently heard on {name}</source>
        <translation>最近在 {name} 听到</translation>
    </message>
    <message numerus="yes">
        <source>%Ln stations</source>
        <translation>
            <numerusform>%Ln 个电台</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RecRow</name>
    <message>
        <source>Like</source>
        <extracomment>rows a shelf shows before &quot;Show N more&quot;</extracomment>
        <translation>喜欢</translation>
    </message>
    <message>
        <source>Like: more like this</source>
        <translation>喜欢：多推荐这样的</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Skip: not now, a little less like this</source>
        <translation>跳过：现在不听，少推荐一点这样的</translation>
    </message>
    <message>
        <source>Not this one</source>
        <translation>不要这首</translation>
    </message>
    <message>
        <source>Not this one: never suggest it</source>
        <translation>不要这首：不再推荐</translation>
    </message>
</context>
<context>
    <name>ReplayGainAction</name>
    <message>
        <source>Write ReplayGain</source>
        <translation>写入回放增益</translation>
    </message>
    <message>
        <source>Measure the loudness of these tracks and of their whole albums, and write ReplayGain 2.0 track and album gains and peaks into the files (R128 gains in Opus files).</source>
        <translation>测量这些曲目及其整张专辑的响度，并将 ReplayGain 2.0 曲目与专辑增益和峰值写入文件（Opus 文件写入 R128 增益）。</translation>
    </message>
    <message>
        <source>ReplayGain written to {n} files.</source>
        <translation>已向 {n} 个文件写入回放增益。</translation>
    </message>
    <message>
        <source>Could not tag {failed} of {total} files:</source>
        <translation>{total} 个文件中有 {failed} 个无法写入标签：</translation>
    </message>
</context>
<context>
    <name>ReportCard</name>
    <message>
        <source>[deleted]</source>
        <translation>[已删除]</translation>
    </message>
    <message>
        <source>comment #{comment} on song #{song}</source>
        <translation>歌曲 #{song} 上的评论 #{comment}</translation>
    </message>
    <message>
        <source>Reported by {name}: {reason}</source>
        <translation>{name} 举报：{reason}</translation>
    </message>
    <message>
        <source>someone</source>
        <translation>某人</translation>
    </message>
    <message>
        <source>Hide…</source>
        <translation>隐藏…</translation>
    </message>
    <message>
        <source>Hide the comment</source>
        <translation>隐藏这条评论</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>驳回</translation>
    </message>
    <message>
        <source>Close the report and leave the comment be</source>
        <translation>关闭举报，保留评论</translation>
    </message>
    <message>
        <source>Suspend…</source>
        <translation>封禁…</translation>
    </message>
    <message>
        <source>Suspend the comment&apos;s author</source>
        <translation>封禁评论作者</translation>
    </message>
    <message>
        <source>Why hide it? The author is told.</source>
        <translation>为什么隐藏？作者会收到通知。</translation>
    </message>
    <message>
        <source>Reason for hiding</source>
        <translation>隐藏理由</translation>
    </message>
    <message>
        <source>Hide comment</source>
        <translation>隐藏评论</translation>
    </message>
    <message>
        <source>Why suspend them?</source>
        <translation>为什么封禁 TA？</translation>
    </message>
    <message>
        <source>Reason for the suspension</source>
        <translation>封禁理由</translation>
    </message>
    <message>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <source>Days suspended</source>
        <translation>封禁天数</translation>
    </message>
    <message>
        <source>For good</source>
        <translation>永久</translation>
    </message>
    <message>
        <source>Suspend</source>
        <translation>封禁</translation>
    </message>
    <message>
        <source>Give a reason: the author is told why their comment was hidden.</source>
        <translation>请填写理由：作者会被告知评论被隐藏的原因。</translation>
    </message>
    <message>
        <source>Give a reason for the suspension.</source>
        <translation>请填写封禁理由。</translation>
    </message>
</context>
<context>
    <name>ScanStatus</name>
    <message>
        <source>Looking for music…</source>
        <translation>正在查找音乐…</translation>
    </message>
    <message>
        <source>Scanning {done} of {total} files</source>
        <translation>正在扫描第 {done} / {total} 个文件</translation>
    </message>
    <message>
        <source>Scan failed</source>
        <translation>扫描失败</translation>
    </message>
    <message>
        <source>Scan cancelled</source>
        <translation>扫描已取消</translation>
    </message>
    <message>
        <source>Scan finished</source>
        <translation>扫描完成</translation>
    </message>
    <message>
        <source>{status} · {count} new</source>
        <translation>{status} · 新增 {count} 首</translation>
    </message>
</context>
<context>
    <name>ScrobbleWatcher</name>
    <message>
        <source>Sign in to {service} again</source>
        <translation>请重新登录 {service}</translation>
    </message>
    <message>
        <source>Your listens are kept and sent after you sign in again in Settings, Accounts.</source>
        <translation>你的收听记录会保留，在“设置 → 账户”中重新登录后发送。</translation>
    </message>
</context>
<context>
    <name>SearchBox</name>
    <message>
        <source>Search songs, artists, albums…   (try  genre:jazz year:1990..1999)</source>
        <translation>搜索歌曲、艺人、专辑…   （试试 genre:jazz year:1990..1999）</translation>
    </message>
    <message>
        <source>Search the library</source>
        <translation>搜索音乐库</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>搜索</translation>
    </message>
    <message>
        <source>Search error</source>
        <translation>搜索错误</translation>
    </message>
    <message>
        <source>{message} — at character {position}</source>
        <translation>{message} — 位于第 {position} 个字符</translation>
    </message>
</context>
<context>
    <name>ServerInvite</name>
    <message>
        <source>Talk about the music</source>
        <translation>聊聊这首歌</translation>
    </message>
    <message>
        <source>Comments live on a comment server. Connect to one, or start one on this computer: it keeps its comments in Kindred&apos;s data folder.</source>
        <translation>评论保存在评论服务器上。连接到一个服务器，或者在这台电脑上启动一个：它会把评论保存在 Kindred 的数据文件夹里。</translation>
    </message>
    <message>
        <source>Server address, like https://comments.example.org</source>
        <translation>服务器地址，例如 https://comments.example.org</translation>
    </message>
    <message>
        <source>Comment server address</source>
        <translation>评论服务器地址</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接</translation>
    </message>
    <message>
        <source>Start a local server</source>
        <translation>启动本地服务器</translation>
    </message>
    <message>
        <source>{url} has not answered yet.</source>
        <translation>{url} 还没有响应。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Enter an address starting with http:// or https://, like {example}.</source>
        <translation>请输入以 http:// 或 https:// 开头的地址，例如 {example}。</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Settings pages</source>
        <translation>设置页面</translation>
    </message>
    <message>
        <source>Library</source>
        <extracomment>English, marked for translation in the SettingsDialog context the pages in list order; a new page is a module of this package and a row here</extracomment>
        <translation>音乐库</translation>
    </message>
    <message>
        <source>Playback</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Equalizer</source>
        <translation>均衡器</translation>
    </message>
    <message>
        <source>Lyrics</source>
        <translation>歌词</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>Comments</source>
        <translation>评论</translation>
    </message>
    <message>
        <source>Desktop</source>
        <translation>桌面</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>账户</translation>
    </message>
</context>
<context>
    <name>ShelfView</name>
    <message>
        <source>Smooth order</source>
        <translation>平滑排序</translation>
    </message>
    <message>
        <source>Order the mix so tempo, key and loudness flow from track to track</source>
        <translation>按节奏、调性和响度排列，让歌曲之间过渡自然</translation>
    </message>
    <message>
        <source>Play all</source>
        <translation>播放全部</translation>
    </message>
    <message>
        <source>Add to queue</source>
        <translation>加入队列</translation>
    </message>
    <message>
        <source>Save as playlist</source>
        <translation>保存为歌单</translation>
    </message>
    <message>
        <source>New mix</source>
        <translation>换一组</translation>
    </message>
    <message>
        <source>Today&apos;s mix stays the same all day; make a different one now</source>
        <translation>今日推荐全天不变；现在换一组不同的</translation>
    </message>
    <message>
        <source>Nothing to suggest yet: play and like a few tracks.</source>
        <translation>暂无推荐：先播放并喜欢几首歌吧。</translation>
    </message>
    <message>
        <source>Show fewer</source>
        <translation>收起</translation>
    </message>
    <message>
        <source>Show {n} more</source>
        <translation>再显示 {n} 首</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Play / pause</source>
        <extracomment>(name, keys, what it does); the window maps names to callables. The texts are translated when shown, in the &quot;Shortcuts&quot; context.</extracomment>
        <translation>播放/暂停</translation>
    </message>
    <message>
        <source>Previous track</source>
        <translation>上一首</translation>
    </message>
    <message>
        <source>Next track</source>
        <translation>下一首</translation>
    </message>
    <message>
        <source>Volume up</source>
        <translation>增大音量</translation>
    </message>
    <message>
        <source>Volume down</source>
        <translation>减小音量</translation>
    </message>
    <message>
        <source>Back 5 seconds</source>
        <translation>后退 5 秒</translation>
    </message>
    <message>
        <source>Forward 5 seconds</source>
        <translation>前进 5 秒</translation>
    </message>
    <message>
        <source>Search the library</source>
        <translation>搜索音乐库</translation>
    </message>
    <message>
        <source>Play the selected tracks</source>
        <translation>播放选中的歌曲</translation>
    </message>
    <message>
        <source>Go to the navigation</source>
        <translation>转到导航栏</translation>
    </message>
    <message>
        <source>Go to the track list</source>
        <translation>转到歌曲列表</translation>
    </message>
    <message>
        <source>Go to the queue / lyrics panel</source>
        <translation>转到队列/歌词面板</translation>
    </message>
    <message>
        <source>Edit tags of the selected tracks</source>
        <translation>编辑选中歌曲的标签</translation>
    </message>
    <message>
        <source>Switch between dark and light</source>
        <translation>切换深色/浅色主题</translation>
    </message>
    <message>
        <source>Open the settings</source>
        <translation>打开设置</translation>
    </message>
    <message>
        <source>Show this list</source>
        <translation>显示此列表</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <extracomment>the keyboard&apos;s media keys, as Qt delivers them (Windows, macOS; on Linux the desktop routes them to MPRIS instead)</extracomment>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>SleepButton</name>
    <message>
        <source>Sleep timer</source>
        <translation>睡眠定时</translation>
    </message>
    <message>
        <source>End of track</source>
        <translation>本曲结束</translation>
    </message>
</context>
<context>
    <name>SleepMenu</name>
    <message>
        <source>Sleep timer</source>
        <translation>睡眠定时</translation>
    </message>
    <message>
        <source>Pausing in {time}</source>
        <translation>{time} 后暂停</translation>
    </message>
    <message>
        <source>Stopping after this track</source>
        <translation>本曲播完后停止</translation>
    </message>
    <message>
        <source>Stop after this track</source>
        <translation>播完本曲后停止</translation>
    </message>
    <message numerus="yes">
        <source>Pause in %Ln hours</source>
        <translation>
            <numerusform>%Ln 小时后暂停</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pause in %Ln minutes</source>
        <translation>
            <numerusform>%Ln 分钟后暂停</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancel the sleep timer</source>
        <translation>取消睡眠定时</translation>
    </message>
</context>
<context>
    <name>SmartPlaylistEditor</name>
    <message>
        <source>New smart playlist</source>
        <translation>新建智能歌单</translation>
    </message>
    <message>
        <source>Edit smart playlist</source>
        <translation>编辑智能歌单</translation>
    </message>
    <message>
        <source>Smart playlist</source>
        <translation>智能歌单</translation>
    </message>
    <message>
        <source>Playlist name</source>
        <translation>歌单名称</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>genre:jazz year:1990..1999 rating:&gt;=4</source>
        <translation>genre:jazz year:1990..1999 rating:&gt;=4</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Query error</source>
        <translation>查询错误</translation>
    </message>
    <message>
        <source>Matching tracks</source>
        <translation>匹配的歌曲</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Plain words match titles, artists and albums; fields narrow it down, as in genre:rock year:1990..1999 rating:&gt;=4. A space means and; OR, -word (not) and parentheses work too.</source>
        <translation>普通词语会匹配标题、艺人和专辑；字段可以缩小范围，例如 genre:rock year:1990..1999 rating:&gt;=4。空格表示“与”；也可以使用 OR（或）、-词语（非）和括号。</translation>
    </message>
    <message numerus="yes">
        <source>%Ln tracks match</source>
        <translation>
            <numerusform>匹配 %Ln 首歌曲</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %Ln more</source>
        <translation>
            <numerusform>… 还有 %Ln 项</numerusform>
        </translation>
    </message>
    <message>
        <source>Show fields</source>
        <translation>显示字段</translation>
    </message>
    <message>
        <source>Show the query fields</source>
        <translation>显示可查询的字段</translation>
    </message>
    <message>
        <source>Hide fields</source>
        <translation>隐藏字段</translation>
    </message>
    <message>
        <source>Type a query to choose the tracks</source>
        <translation>输入查询条件来选择歌曲</translation>
    </message>
    <message>
        <source>Counting…</source>
        <translation>正在统计…</translation>
    </message>
    <message>
        <source>{message} — at character {n}</source>
        <translation>{message} — 位于第 {n} 个字符</translation>
    </message>
    <message>
        <source>A smart playlist needs a query</source>
        <translation>智能歌单需要查询条件</translation>
    </message>
</context>
<context>
    <name>TagEditor</name>
    <message>
        <source>Edit tags</source>
        <extracomment>the text fields, in form order; lists (artists, genres) are &quot;; &quot;-separated (number key, total key) pairs shown side by side</extracomment>
        <translation>编辑标签</translation>
    </message>
    <message>
        <source>Tag editor</source>
        <translation>标签编辑器</translation>
    </message>
    <message>
        <source>Reading tags…</source>
        <translation>正在读取标签…</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Artist</source>
        <translation>艺人</translation>
    </message>
    <message>
        <source>Album</source>
        <translation>专辑</translation>
    </message>
    <message>
        <source>Album artist</source>
        <translation>专辑艺人</translation>
    </message>
    <message>
        <source>Genre</source>
        <translation>流派</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Composer</source>
        <translation>作曲</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>A year, or a date like 2001-05-31</source>
        <translation>年份，或如 2001-05-31 的日期</translation>
    </message>
    <message>
        <source>Separate several names with “;”</source>
        <translation>多个名字请用“;”分隔</translation>
    </message>
    <message>
        <source>Track</source>
        <translation>音轨号</translation>
    </message>
    <message>
        <source>Disc</source>
        <translation>碟片</translation>
    </message>
    <message>
        <source>total</source>
        <translation>总数</translation>
    </message>
    <message>
        <source>of</source>
        <translation>/</translation>
    </message>
    <message>
        <source>Lyrics</source>
        <translation>歌词</translation>
    </message>
    <message>
        <source>Files that could not be written</source>
        <translation>无法写入的文件</translation>
    </message>
    <message>
        <source>These tracks are no longer in the library.</source>
        <translation>这些歌曲已不在音乐库中。</translation>
    </message>
    <message>
        <source>Editing {name}</source>
        <translation>正在编辑 {name}</translation>
    </message>
    <message>
        <source>Editing {n} tracks</source>
        <translation>正在编辑 {n} 首歌曲</translation>
    </message>
    <message>
        <source>(mixed)</source>
        <translation>（多个值）</translation>
    </message>
    <message>
        <source>{failed} of {total} files could not be written:</source>
        <translation>{total} 个文件中有 {failed} 个无法写入：</translation>
    </message>
</context>
<context>
    <name>TaskStatus</name>
    <message>
        <source>Analysis progress</source>
        <translation>分析进度</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the audio analysis</source>
        <translation>停止音频分析</translation>
    </message>
    <message>
        <source>Stopping the analysis…</source>
        <translation>正在停止分析…</translation>
    </message>
    <message>
        <source>Progress</source>
        <extracomment>(what the bar is, stop button text, its accessible name, label while stopping), marked for translation in the &quot;TaskStatus&quot; context and translated when shown</extracomment>
        <translation>进度</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Scan progress</source>
        <translation>扫描进度</translation>
    </message>
    <message>
        <source>Cancel the scan</source>
        <translation>取消扫描</translation>
    </message>
</context>
<context>
    <name>TopDelegate</name>
    <message numerus="yes">
        <source>%Ln plays</source>
        <translation>
            <numerusform>%Ln 次</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrackListPage</name>
    <message>
        <source>Loading…</source>
        <extracomment>the table class (a playlist page uses one that can reorder and remove)</extracomment>
        <translation>正在加载…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln tracks</source>
        <translation>
            <numerusform>%Ln 首歌曲</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrackModel</name>
    <message>
        <source>(removed)</source>
        <extracomment>column key -&gt; text by track id, for columns not read from the library (comments)</extracomment>
        <translation>（已移除）</translation>
    </message>
</context>
<context>
    <name>TrackSource</name>
    <message>
        <source>Unknown artist</source>
        <translation>未知艺人</translation>
    </message>
    <message>
        <source>Unknown genre</source>
        <translation>未知流派</translation>
    </message>
    <message>
        <source>Unknown folder</source>
        <translation>未知文件夹</translation>
    </message>
</context>
<context>
    <name>TrackView</name>
    <message>
        <source>Tracks</source>
        <extracomment>the row height of the compact density (Settings &gt; Appearance): 28 rows in 700 px where the density choice is remembered (the window&apos;s saved state) the narrowest the title gets before the list scrolls sideways the title never asks for more than this before name columns give up width how many rows&apos; titles are measured for the title column&apos;s width columns of names that give up width (down to FLEX_MIN) before the list scrolls sideways one clicked row plays at once with this many rows before it and after it queued; the rest of the list joins the queue from a worker (see player.ui.tracks.playall)</extracomment>
        <translation>歌曲</translation>
    </message>
    <message>
        <source>Columns: click to sort, right-click to choose</source>
        <translation>列：单击排序，右键选择显示的列</translation>
    </message>
    <message>
        <source>Track number</source>
        <translation>音轨号</translation>
    </message>
    <message>
        <source>Natural order</source>
        <translation>自然顺序</translation>
    </message>
    <message>
        <source>Track actions</source>
        <translation>歌曲操作</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Play next</source>
        <translation>下一首播放</translation>
    </message>
    <message>
        <source>Add to queue</source>
        <translation>添加到队列</translation>
    </message>
    <message>
        <source>Add to playlist</source>
        <translation>添加到歌单</translation>
    </message>
    <message>
        <source>Similar tracks</source>
        <translation>相似歌曲</translation>
    </message>
    <message>
        <source>Start radio</source>
        <translation>开启电台</translation>
    </message>
    <message>
        <source>Edit tags…</source>
        <translation>编辑标签…</translation>
    </message>
    <message>
        <source>Open containing folder</source>
        <translation>打开所在文件夹</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>复制路径</translation>
    </message>
</context>
<context>
    <name>TrayIcon</name>
    <message>
        <source>{track} (paused)</source>
        <translation>{track}（已暂停）</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一首</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一首</translation>
    </message>
    <message>
        <source>Hide window</source>
        <translation>隐藏窗口</translation>
    </message>
    <message>
        <source>Close to tray</source>
        <translation>关闭时最小化到托盘</translation>
    </message>
    <message>
        <source>Notify on track change</source>
        <translation>切歌时通知</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Show window</source>
        <translation>显示窗口</translation>
    </message>
</context>
<context>
    <name>WallRow</name>
    <message>
        <source>not in your library</source>
        <translation>不在你的曲库中</translation>
    </message>
    <message>
        <source>Play {song}</source>
        <translation>播放 {song}</translation>
    </message>
    <message>
        <source>In your library: play it</source>
        <translation>在你的曲库中：播放</translation>
    </message>
    <message>
        <source>Not in your library</source>
        <translation>不在你的曲库中</translation>
    </message>
</context>
<context>
    <name>WallShelf</name>
    <message>
        <source>Loved in the comments</source>
        <translation>评论区最爱</translation>
    </message>
    <message>
        <source>The most liked comments of the week · in your library: {n}</source>
        <translation>本周获赞最多的评论 · 你的曲库中有：{n}</translation>
    </message>
    <message>
        <source>The most liked comments of the week (offline: as last seen)</source>
        <translation>本周获赞最多的评论（离线：上次看到的内容）</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Welcome to Kindred</source>
        <translation>欢迎使用 Kindred</translation>
    </message>
    <message>
        <source>Your library is empty. Choose the folder where your music lives and Kindred will find every track in it, in the background. Or try a small demo library first.</source>
        <translation>你的音乐库还是空的。选择存放音乐的文件夹，Kindred 会在后台找出其中的每一首歌。也可以先试试一个小型演示音乐库。</translation>
    </message>
    <message>
        <source>Choose music folder…</source>
        <translation>选择音乐文件夹…</translation>
    </message>
    <message>
        <source>Try the demo library</source>
        <translation>试用演示音乐库</translation>
    </message>
</context>
<context>
    <name>i18n</name>
    <message>
        <source>System default</source>
        <extracomment>What each language calls itself (shown in Settings whatever the current language). The translators this module installed, so a later call (or a test) can take them off.</extracomment>
        <translation>跟随系统</translation>
    </message>
</context>
</TS>
