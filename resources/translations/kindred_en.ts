<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="en">
<context>
    <name>AlbumModel</name>
    <message numerus="yes">
        <source>%Ln discs</source>
        <translation>
            <numerusform>%Ln disc</numerusform>
            <numerusform>%Ln discs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tracks</source>
        <translation>
            <numerusform>%Ln track</numerusform>
            <numerusform>%Ln tracks</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AlbumsPage</name>
    <message numerus="yes">
        <source>%Ln albums</source>
        <translation>
            <numerusform>%Ln album</numerusform>
            <numerusform>%Ln albums</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln tracks</source>
        <translation>
            <numerusform>%Ln track</numerusform>
            <numerusform>%Ln tracks</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>AnalysisStatus</name>
    <message numerus="yes">
        <source>Analysed %Ln tracks</source>
        <translation>
            <numerusform>Analysed %Ln track</numerusform>
            <numerusform>Analysed %Ln tracks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> · %Ln could not be read</source>
        <translation>
            <numerusform> · %Ln could not be read</numerusform>
            <numerusform> · %Ln could not be read</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ArtistsPage</name>
    <message numerus="yes">
        <source>%Ln artists</source>
        <translation>
            <numerusform>%Ln artist</numerusform>
            <numerusform>%Ln artists</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Bell</name>
    <message numerus="yes">
        <source>Notifications: %n unread</source>
        <translation>
            <numerusform>Notifications: %n unread</numerusform>
            <numerusform>Notifications: %n unread</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CategoryPage</name>
    <message numerus="yes">
        <source>%Ln artists</source>
        <translation>
            <numerusform>%Ln artist</numerusform>
            <numerusform>%Ln artists</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln genres</source>
        <translation>
            <numerusform>%Ln genre</numerusform>
            <numerusform>%Ln genres</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln folders</source>
        <translation>
            <numerusform>%Ln folder</numerusform>
            <numerusform>%Ln folders</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CommentAlerts</name>
    <message numerus="yes">
        <source>%n more replies and mentions</source>
        <translation>
            <numerusform>%n more reply or mention</numerusform>
            <numerusform>%n more replies and mentions</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CommentCard</name>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n h ago</numerusform>
            <numerusform>%n h ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d ago</source>
        <translation>
            <numerusform>%n d ago</numerusform>
            <numerusform>%n d ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln replies</source>
        <translation>
            <numerusform>%Ln reply</numerusform>
            <numerusform>%Ln replies</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CommentCount</name>
    <message numerus="yes">
        <source>%Ln comments</source>
        <translation>
            <numerusform>%Ln comment</numerusform>
            <numerusform>%Ln comments</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>FolderPage</name>
    <message numerus="yes">
        <source>%Ln library folders</source>
        <translation>
            <numerusform>%Ln library folder</numerusform>
            <numerusform>%Ln library folders</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>HiddenTracksDialog</name>
    <message numerus="yes">
        <source>Restored %Ln tracks: For You can suggest them again.</source>
        <translation>
            <numerusform>Restored %Ln track: For You can suggest it again.</numerusform>
            <numerusform>Restored %Ln tracks: For You can suggest them again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InboxRow</name>
    <message numerus="yes">
        <source>%n people liked your comment</source>
        <translation>
            <numerusform>%n person liked your comment</numerusform>
            <numerusform>%n people liked your comment</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>LibraryBrowserPage</name>
    <message numerus="yes">
        <source>%Ln groups match “%1”</source>
        <translation>
            <numerusform>%Ln group matches “%1”</numerusform>
            <numerusform>%Ln groups match “%1”</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln groups</source>
        <translation>
            <numerusform>%Ln group</numerusform>
            <numerusform>%Ln groups</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%Ln tracks in the library</source>
        <translation>
            <numerusform>%Ln track in the library</numerusform>
            <numerusform>%Ln tracks in the library</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PlaylistActions</name>
    <message numerus="yes">
        <source>Added %Ln tracks to “{name}”</source>
        <translation>
            <numerusform>Added %Ln track to “{name}”</numerusform>
            <numerusform>Added %Ln tracks to “{name}”</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PlaylistPage</name>
    <message numerus="yes">
        <source>%Ln tracks</source>
        <translation>
            <numerusform>%Ln track</numerusform>
            <numerusform>%Ln tracks</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ProfileDialog</name>
    <message numerus="yes">
        <source>%n comments</source>
        <translation>
            <numerusform>%n comment</numerusform>
            <numerusform>%n comments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n likes received</source>
        <translation>
            <numerusform>%n like received</numerusform>
            <numerusform>%n likes received</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message numerus="yes">
        <source>%Ln tracks</source>
        <translation>
            <numerusform>%Ln track</numerusform>
            <numerusform>%Ln tracks</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RadioPage</name>
    <message numerus="yes">
        <source>%Ln stations</source>
        <translation>
            <numerusform>%Ln station</numerusform>
            <numerusform>%Ln stations</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SleepMenu</name>
    <message numerus="yes">
        <source>Pause in %Ln hours</source>
        <translation>
            <numerusform>Pause in %Ln hour</numerusform>
            <numerusform>Pause in %Ln hours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Pause in %Ln minutes</source>
        <translation>
            <numerusform>Pause in %Ln minute</numerusform>
            <numerusform>Pause in %Ln minutes</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SmartPlaylistEditor</name>
    <message numerus="yes">
        <source>%Ln tracks match</source>
        <translation>
            <numerusform>%Ln track matches</numerusform>
            <numerusform>%Ln tracks match</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %Ln more</source>
        <translation>
            <numerusform>… and %Ln more</numerusform>
            <numerusform>… and %Ln more</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TopDelegate</name>
    <message numerus="yes">
        <source>%Ln plays</source>
        <translation>
            <numerusform>%Ln play</numerusform>
            <numerusform>%Ln plays</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TrackListPage</name>
    <message numerus="yes">
        <source>%Ln tracks</source>
        <translation>
            <numerusform>%Ln track</numerusform>
            <numerusform>%Ln tracks</numerusform>
        </translation>
    </message>
</context>
</TS>
