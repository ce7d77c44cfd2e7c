; Inno Setup script for the Copydesk installer on Windows: a per-user install (no administrator
; rights asked), a Start-menu entry, an optional desktop shortcut, and an uninstaller that Windows
; lists in Settings > Apps. It packs the PyInstaller folder built by packaging/copydesk.spec.
;
;   iscc /DAppVersion=<version> packaging\windows\copydesk.iss
;
; AppVersion is the package version (pyproject.toml); the release workflow passes it, so it is
; written in no file here. Optional: /DSourceDir=<the PyInstaller folder> (default ..\..\dist\copydesk)
; and /DOutputDir=<where Copydesk-<version>-setup.exe goes> (default ..\..\dist). Relative paths are
; taken from this script's folder.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=<version from pyproject.toml> copydesk.iss
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\copydesk"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#define AppName "Copydesk"
#define AppExe "copydesk.exe"

[Setup]
; Identifies Copydesk to Windows across versions: never change it, or upgrades install twice.
AppId={{AB758477-7599-461F-84BC-81FC561D3ED8}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Copydesk developers
AppCopyright=The Copydesk developers. GPL-3.0-or-later.
VersionInfoTextVersion={#AppVersion}
VersionInfoProductName={#AppName}
; Per-user: the program goes to %LOCALAPPDATA%\Programs\Copydesk and the menu entry to the user's
; Start menu; no UAC prompt. ({autopf} and {autoprograms} follow the install mode.)
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
SetupIconFile=..\icons\copydesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir={#OutputDir}
OutputBaseFilename={#AppName}-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
; Copydesk keeps one lock per library; closing it before files are replaced avoids a reboot
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; an upgrade replaces the whole program folder: files an older version had must not linger
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Write columns offline, see them as they will be published"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The library, settings and backups live in the user's data folder (%APPDATA%\Copydesk):
; the uninstaller leaves them, so reinstalling finds every piece again.
