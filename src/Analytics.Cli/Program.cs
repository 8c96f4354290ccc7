Console.WriteLine("analytics: not wired yet");
